resource "google_secret_manager_secret" "secret" {
  for_each  = toset(local.secret_names)
  secret_id = "${var.bot_name}-${each.key}"
  replication {
    auto {}
  }
  depends_on = [google_project_service.api]
}

# Each function's service account reads exactly the secrets its function mounts.
resource "google_secret_manager_secret_iam_member" "slack_reads" {
  for_each  = toset(["slack-signing-secret", "slack-bot-token"])
  secret_id = google_secret_manager_secret.secret[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.slack.email}"
}

resource "google_secret_manager_secret_iam_member" "twitter_reads" {
  for_each  = toset(["x-app-key", "x-app-secret", "x-access-token", "x-access-secret", "slack-signing-secret", "slack-bot-token"])
  secret_id = google_secret_manager_secret.secret[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.twitter.email}"
}
