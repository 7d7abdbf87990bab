# The Discord function: Discord's Interactions Endpoint URL and, on the same function, the worker that
# Pub/Sub pushes each command to. Discord cannot send Google credentials, so the function is public and
# checks Discord's Ed25519 signature (interactions) and Pub/Sub's OIDC token (worker) itself. It needs no
# bot token: the worker edits each answer through the interaction's own webhook token.

resource "google_service_account" "discord" {
  account_id   = "${var.bot_name}-discord"
  display_name = "mimicbot Discord function"
  depends_on   = [google_project_service.api]
}

# Pub/Sub signs its pushes to the Discord worker as this account; the worker checks the token's email.
resource "google_service_account" "discord_push" {
  account_id   = "${var.bot_name}-discord-push"
  display_name = "mimicbot Discord queue (pushes to the worker)"
  depends_on   = [google_project_service.api]
}

resource "google_cloudfunctions2_function" "discord" {
  name     = "${var.bot_name}-discord"
  location = var.region
  build_config {
    runtime         = "nodejs20"
    entry_point     = "discord"
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.functions_source.name
        object = google_storage_bucket_object.function_source["discord"].name
      }
    }
  }
  service_config {
    service_account_email = google_service_account.discord.email
    available_memory      = "512Mi"
    available_cpu         = "1"
    # The worker's longest job: the model's timeout and retries, then the edit. Pub/Sub's ack deadline is
    # the same, so it never redelivers a command whose first attempt is still running.
    timeout_seconds                  = 300
    max_instance_request_concurrency = 8
    min_instance_count               = 0
    max_instance_count               = 5
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables = {
      MODEL_ENDPOINT                 = google_cloud_run_v2_service.server.uri
      MODEL_AUDIENCE                 = google_cloud_run_v2_service.server.uri
      MODEL_NAME                     = var.discord_model
      STORE                          = "firestore"
      GOOGLE_CLOUD_PROJECT           = var.project
      FIRESTORE_DATABASE             = google_firestore_database.store.name
      DISCORD_TOPIC                  = google_pubsub_topic.discord_commands.name
      DISCORD_WORKER_AUDIENCE        = local.discord_worker_url
      DISCORD_WORKER_SERVICE_ACCOUNT = google_service_account.discord_push.email
      # The worker apologises on the last delivery the subscription makes, not one before it.
      DISCORD_MAX_DELIVERY_ATTEMPTS = tostring(var.discord_max_delivery_attempts)
    }
    secret_environment_variables {
      key        = "DISCORD_PUBLIC_KEY"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["discord-public-key"].secret_id
      version    = "latest"
    }
  }
  depends_on = [google_secret_manager_secret_iam_member.discord_reads, google_project_iam_member.build_builds]
}

resource "google_cloud_run_v2_service_iam_member" "discord_is_public" {
  name     = google_cloudfunctions2_function.discord.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "discord_invokes_server" {
  name     = google_cloud_run_v2_service.server.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.discord.email}"
}

resource "google_secret_manager_secret_iam_member" "discord_reads" {
  for_each  = toset(["discord-public-key"])
  secret_id = google_secret_manager_secret.secret[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.discord.email}"
}

resource "google_project_iam_member" "discord_uses_firestore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.discord.email}"
}

# The queue, as Slack's (pubsub.tf), with one difference: an interaction token dies 15 minutes after the
# command, so backoff stops at 60 s and a command is not kept past its token.
resource "google_pubsub_topic" "discord_commands" {
  name       = "${var.bot_name}-discord-commands"
  depends_on = [google_project_service.api]
}

resource "google_pubsub_topic" "discord_dead_letter" {
  name       = "${var.bot_name}-discord-dead-letter"
  depends_on = [google_project_service.api]
}

resource "google_pubsub_subscription" "discord_worker" {
  name                       = "${var.bot_name}-discord-worker"
  topic                      = google_pubsub_topic.discord_commands.id
  ack_deadline_seconds       = 300
  message_retention_duration = "900s"
  push_config {
    push_endpoint = local.discord_worker_url
    oidc_token {
      service_account_email = google_service_account.discord_push.email
      audience              = local.discord_worker_url
    }
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "60s"
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.discord_dead_letter.id
    max_delivery_attempts = var.discord_max_delivery_attempts
  }
  expiration_policy {
    ttl = ""
  }
  depends_on = [
    google_pubsub_topic_iam_member.pubsub_agent_publishes_discord_dead_letters,
    google_service_account_iam_member.pubsub_agent_signs_as_discord_push,
  ]
}

resource "google_pubsub_subscription" "discord_dead_letters" {
  name                       = "${var.bot_name}-discord-dead-letters"
  topic                      = google_pubsub_topic.discord_dead_letter.id
  message_retention_duration = "604800s"
  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "discord_publishes_commands" {
  topic  = google_pubsub_topic.discord_commands.name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.discord.email}"
}

resource "google_pubsub_topic_iam_member" "pubsub_agent_publishes_discord_dead_letters" {
  topic  = google_pubsub_topic.discord_dead_letter.name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

resource "google_pubsub_subscription_iam_member" "pubsub_agent_acks_discord_forwarded" {
  subscription = google_pubsub_subscription.discord_worker.name
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

resource "google_service_account_iam_member" "pubsub_agent_signs_as_discord_push" {
  service_account_id = google_service_account.discord_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_project_service_identity.pubsub.email}"
}

output "discord_interactions_url" {
  description = "Discord Developer Portal > your application > General Information > Interactions Endpoint URL."
  value       = local.discord_url
}

output "discord_dead_letters" {
  description = "Discord commands the worker never managed to answer: gcloud pubsub subscriptions pull <this> --limit 10."
  value       = google_pubsub_subscription.discord_dead_letters.name
}
