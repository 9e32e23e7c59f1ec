# The aoai-lint image: the static binary alone on an empty base, run as a non-root user.
#
#   scripts/build-static && docker build -t aoai-lint .
#   docker run --rm -v "$PWD:/src" -w /src aoai-lint .
#
# BINARY is the static build to copy (scripts/build-static writes it; the release workflow passes
# the aarch64 one for arm64). Files in /src must be readable by the user (uid 65532); to write a
# report there, run as yourself: `docker run --user "$(id -u):$(id -g)" ...`.
FROM scratch
ARG BINARY=dist/aoai-lint-x86_64-unknown-linux-musl
COPY ${BINARY} /aoai-lint
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/aoai-lint"]
CMD ["."]
