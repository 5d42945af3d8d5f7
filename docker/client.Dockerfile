# The compose stacks' client: Debian's python3 and CA certificates, and the two check scripts.
# Built from the same base as the mock's image, so an offline machine with that base can build it.
FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 ca-certificates \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY docker/client /client
USER 10002
CMD ["python3", "/client/stack_check.py"]
