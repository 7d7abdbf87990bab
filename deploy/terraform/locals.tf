locals {
  # Cloud Run's deterministic URL, https://<service>-<project number>.<region>.run.app, known before the service
  # exists. A gen2 function is served by a Cloud Run service of the same name. The X function and the Slack
  # worker must know their own URL (the audience of the tokens they accept), which a resource cannot read
  # from its own attributes.
  run_url_suffix = "${data.google_project.this.number}.${var.region}.run.app"
  slack_url      = "https://${var.bot_name}-slack-${local.run_url_suffix}"
  twitter_url    = "https://${var.bot_name}-twitter-${local.run_url_suffix}"
  demo_url       = "https://${var.bot_name}-demo-${local.run_url_suffix}"

  # Where Pub/Sub pushes Slack work, on the same function as the events endpoint.
  slack_worker_url = "${local.slack_url}/slack/worker"

  # The same for Discord: interactions at its root, the worker at /discord/worker.
  discord_url        = "https://${var.bot_name}-discord-${local.run_url_suffix}"
  discord_worker_url = "${local.discord_url}/discord/worker"

  # Every token, key and signing secret: one Secret Manager secret each, <bot_name>-<name>. Terraform creates
  # them empty; the maker adds the values (README), so they never pass through Terraform's state.
  secret_names = [
    "slack-signing-secret",
    "slack-bot-token",
    "x-app-key",
    "x-app-secret",
    "x-access-token",
    "x-access-secret",
    "discord-public-key",
  ]

  # The store keeps every key in this collection, with its expiry in this timestamp field; Firestore's TTL
  # policy deletes documents once it has passed (the store also ignores expired ones, since TTL deletion can
  # lag by a day).
  firestore_collection   = "kv"
  firestore_expiry_field = "expiresAt"

  # Feedback on the bot's replies (functions/shared/src/feedback): one document per served reply, expiring at
  # its expiresAt (7 days after it was served while unrated, 180 days after its last rating by default).
  feedback_collection   = "feedback"
  feedback_expiry_field = "expiresAt"

  # See var.model_mb.
  server_memory_gib = max(1, ceil((512 + 3 * var.model_mb) / 1024))

  # Cloud Run sends SIGKILL 10 s after SIGTERM (not configurable); the server's drain must end before.
  server_shutdown_grace_ms = 8000
}
