# docker/lib.sh: what the container scripts share (sourced, not run).
# DOCKER: the docker client. Debian's /usr/bin/docker (docker.io, the same
# version as its daemon) unless DOCKER names another: a newer client found
# first on PATH (some machines have /usr/local/bin/docker 28) would want
# buildx for `docker build`.
if [ -z "${DOCKER:-}" ]; then
  DOCKER=docker
  [ -x /usr/bin/docker ] && DOCKER=/usr/bin/docker
fi
export DOCKER
