# Slack work goes through a queue: the events endpoint verifies, claims and publishes within Slack's 3
# seconds; Pub/Sub pushes each message to the worker (same function, /slack/worker) with an OIDC token, and
# redelivers with backoff until it answers 2xx, so a model outage shorter than the retry window still ends
# in a real reply. After slack_max_delivery_attempts a message goes to the dead-letter topic.

resource "google_pubsub_topic" "slack_events" {
  name       = "${var.bot_name}-slack-events"
  depends_on = [google_project_service.api]
}

resource "google_pubsub_topic" "slack_dead_letter" {
  name       = "${var.bot_name}-slack-dead-letter"
  depends_on = [google_project_service.api]
}

resource "google_pubsub_subscription" "slack_worker" {
  name  = "${var.bot_name}-slack-worker"
  topic = google_pubsub_topic.slack_events.id
  # How long one push may take before Pub/Sub counts it failed: the worker function's timeout.
  ack_deadline_seconds = 300
  # A Slack message unanswered for a day is not worth answering.
  message_retention_duration = "86400s"
  push_config {
    push_endpoint = local.slack_worker_url
    oidc_token {
      service_account_email = google_service_account.slack_push.email
      audience              = local.slack_worker_url
    }
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.slack_dead_letter.id
    max_delivery_attempts = var.slack_max_delivery_attempts
  }
  expiration_policy {
    ttl = ""
  }
  depends_on = [
    google_pubsub_topic_iam_member.pubsub_agent_publishes_dead_letters,
    google_service_account_iam_member.pubsub_agent_signs_as_slack_push,
  ]
}

# Dead letters are kept a week for a look (gcloud pubsub subscriptions pull); a topic with no subscription
# would drop them.
resource "google_pubsub_subscription" "slack_dead_letters" {
  name                       = "${var.bot_name}-slack-dead-letters"
  topic                      = google_pubsub_topic.slack_dead_letter.id
  message_retention_duration = "604800s"
  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "slack_publishes_events" {
  topic  = google_pubsub_topic.slack_events.name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.slack.email}"
}

# What a dead-letter policy needs from Pub/Sub's own service agent: publish to the dead-letter topic, and
# acknowledge on the source subscription the messages it forwards.
resource "google_project_service_identity" "pubsub" {
  provider = google-beta
  service  = "pubsub.googleapis.com"
}

resource "google_pubsub_topic_iam_member" "pubsub_agent_publishes_dead_letters" {
  topic  = google_pubsub_topic.slack_dead_letter.name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

resource "google_pubsub_subscription_iam_member" "pubsub_agent_acks_forwarded" {
  subscription = google_pubsub_subscription.slack_worker.name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

# Minting the push's OIDC token as slack-push (projects created before April 2021 lack this by default).
resource "google_service_account_iam_member" "pubsub_agent_signs_as_slack_push" {
  service_account_id = google_service_account.slack_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_project_service_identity.pubsub.email}"
}
