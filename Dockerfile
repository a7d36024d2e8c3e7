# govbot: the Telegram bot as a container.
#
#   docker build -t govbot .
#   docker run -d --name govbot --restart unless-stopped \
#     -e TELEGRAM_BOT_TOKEN -v govbot-data:/data -p 127.0.0.1:8080:8080 govbot
#
# The data volume holds the index. On first start with an empty volume the
# bot indexes the reports mounted at $GOVBOT_REPORTS (e.g. -v ./reports:/reports:ro
# -e GOVBOT_REPORTS=/reports); without them it indexes the built-in collection
# (GOVBOT_CORPUS=builtin; set GOVBOT_CORPUS=sample for the embedded sample only).
# .ci/check-docker builds the binary with the same flags as below: keep them in step.

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/govbot ./cmd/govbot \
 && mkdir -p /out/data

# distroless/static: CA certificates and tzdata, no shell, user nonroot (65532).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/govbot /usr/local/bin/govbot
# A new named volume takes this directory's owner, so the bot can write to it.
COPY --from=build --chown=65532:65532 /out/data /data
ENV GOVBOT_DATA=/data \
    GOVBOT_CORPUS=builtin \
    GOVBOT_LISTEN=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/govbot"]
CMD ["serve"]
