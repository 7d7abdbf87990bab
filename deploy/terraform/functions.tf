# The functions (Discord's in discord.tf), from the folders `npm run build -w functions/<name>` writes (bundle, package.json and
# package-lock.json): zipped, uploaded, built by Cloud Build with `npm ci`, served by Cloud Run.

resource "google_storage_bucket" "functions_source" {
  name                        = "${var.project}-${var.bot_name}-functions"
  location                    = var.region
  uniform_bucket_level_access = true
  force_destroy               = true
  depends_on                  = [google_project_service.api]
}

data "archive_file" "function" {
  for_each    = toset(["slack", "twitter", "demo", "discord"])
  type        = "zip"
  source_dir  = "${path.module}/../../functions/${each.key}/dist"
  output_path = "${path.module}/.build/${each.key}.zip"
  excludes    = ["node_modules"]
}

# Named by content, so a new build is a new object and the function is rebuilt; an unchanged one is not.
resource "google_storage_bucket_object" "function_source" {
  for_each = data.archive_file.function
  name     = "${each.key}-${each.value.output_md5}.zip"
  bucket   = google_storage_bucket.functions_source.name
  source   = each.value.output_path
}

resource "google_cloudfunctions2_function" "slack" {
  name     = "${var.bot_name}-slack"
  location = var.region
  build_config {
    runtime         = "nodejs20"
    entry_point     = "slack"
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.functions_source.name
        object = google_storage_bucket_object.function_source["slack"].name
      }
    }
  }
  service_config {
    service_account_email = google_service_account.slack.email
    available_memory      = "512Mi"
    available_cpu         = "1"
    # The worker's longest job: the model's timeout and retries, then posting. Pub/Sub's ack deadline is
    # the same, so it never redelivers a message whose first attempt is still running.
    timeout_seconds                  = 300
    max_instance_request_concurrency = 8
    min_instance_count               = 0
    max_instance_count               = 5
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables = {
      MODEL_ENDPOINT               = google_cloud_run_v2_service.server.uri
      MODEL_AUDIENCE               = google_cloud_run_v2_service.server.uri
      MODEL_NAME                   = var.slack_model
      STORE                        = "firestore"
      GOOGLE_CLOUD_PROJECT         = var.project
      FIRESTORE_DATABASE           = google_firestore_database.store.name
      SLACK_TOPIC                  = google_pubsub_topic.slack_events.name
      SLACK_WORKER_AUDIENCE        = local.slack_worker_url
      SLACK_WORKER_SERVICE_ACCOUNT = google_service_account.slack_push.email
      # The worker apologises on the last delivery the subscription makes, not one before it.
      SLACK_MAX_DELIVERY_ATTEMPTS = tostring(var.slack_max_delivery_attempts)
    }
    secret_environment_variables {
      key        = "SLACK_SIGNING_SECRET"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["slack-signing-secret"].secret_id
      version    = "latest"
    }
    secret_environment_variables {
      key        = "SLACK_BOT_TOKEN"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["slack-bot-token"].secret_id
      version    = "latest"
    }
  }
  # A revision that cannot read its secrets fails to start.
  depends_on = [google_secret_manager_secret_iam_member.slack_reads, google_project_iam_member.build_builds]
}

resource "google_cloudfunctions2_function" "twitter" {
  name     = "${var.bot_name}-twitter"
  location = var.region
  build_config {
    runtime         = "nodejs20"
    entry_point     = "twitter"
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.functions_source.name
        object = google_storage_bucket_object.function_source["twitter"].name
      }
    }
  }
  service_config {
    service_account_email = google_service_account.twitter.email
    available_memory      = "512Mi"
    available_cpu         = "1"
    # Generations, a wait for X's rate limit (MAX_RATE_LIMIT_WAIT_MS) and the replies to mentions.
    timeout_seconds = 300
    # One instance, so the store's records are the only state; more than one request at a time, so a
    # curation click (Slack waits 3 s) is not queued behind a scheduled run's generation.
    max_instance_request_concurrency = 8
    min_instance_count               = 0
    max_instance_count               = 1
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables = {
      MODEL_ENDPOINT            = google_cloud_run_v2_service.server.uri
      MODEL_AUDIENCE            = google_cloud_run_v2_service.server.uri
      MODEL_NAME                = var.x_model
      STORE                     = "firestore"
      GOOGLE_CLOUD_PROJECT      = var.project
      FIRESTORE_DATABASE        = google_firestore_database.store.name
      SCHEDULER_AUDIENCE        = local.twitter_url
      SCHEDULER_SERVICE_ACCOUNT = google_service_account.scheduler.email
      REPLY_TO_MENTIONS         = tostring(var.reply_to_mentions)
      POST_MODE                 = var.post_mode
      POST_DISCLOSURE           = var.post_disclosure
      CURATED_CHANNEL           = var.curated_channel
      CURATED_CANDIDATES        = tostring(var.curated_candidates)
      CURATED_DRAFT_TTL_MS      = tostring(var.curated_draft_ttl_ms)
    }
    secret_environment_variables {
      key        = "X_APP_KEY"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["x-app-key"].secret_id
      version    = "latest"
    }
    secret_environment_variables {
      key        = "X_APP_SECRET"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["x-app-secret"].secret_id
      version    = "latest"
    }
    secret_environment_variables {
      key        = "X_ACCESS_TOKEN"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["x-access-token"].secret_id
      version    = "latest"
    }
    secret_environment_variables {
      key        = "X_ACCESS_SECRET"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["x-access-secret"].secret_id
      version    = "latest"
    }
    # The bot's own Slack app, for curated mode (post_mode): drafts posted with its token, clicks checked
    # with its signing secret. Mounted in either mode, so switching is one variable.
    secret_environment_variables {
      key        = "SLACK_SIGNING_SECRET"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["slack-signing-secret"].secret_id
      version    = "latest"
    }
    secret_environment_variables {
      key        = "SLACK_BOT_TOKEN"
      project_id = var.project
      secret     = google_secret_manager_secret.secret["slack-bot-token"].secret_id
      version    = "latest"
    }
  }
  depends_on = [google_secret_manager_secret_iam_member.twitter_reads, google_project_iam_member.build_builds]
}

resource "google_cloudfunctions2_function" "demo" {
  name     = "${var.bot_name}-demo"
  location = var.region
  build_config {
    runtime         = "nodejs20"
    entry_point     = "demo"
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.functions_source.name
        object = google_storage_bucket_object.function_source["demo"].name
      }
    }
  }
  service_config {
    service_account_email            = google_service_account.demo.email
    available_memory                 = "512Mi"
    available_cpu                    = "1"
    timeout_seconds                  = 120
    max_instance_request_concurrency = 16
    min_instance_count               = 0
    max_instance_count               = 5
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables = {
      MODEL_ENDPOINT        = google_cloud_run_v2_service.server.uri
      MODEL_AUDIENCE        = google_cloud_run_v2_service.server.uri
      MODEL_NAMES           = var.demo_models
      STORE                 = "firestore"
      GOOGLE_CLOUD_PROJECT  = var.project
      FIRESTORE_DATABASE    = google_firestore_database.store.name
      ALLOWED_ORIGINS       = var.allowed_origins
      RATE_LIMIT_PER_MINUTE = tostring(var.demo_rate_limit_per_minute)
    }
  }
  depends_on = [google_project_iam_member.build_builds]
}

# Who may call each function (a gen2 function is invoked through its Cloud Run service). Slack cannot send
# Google credentials, so its function is public and checks Slack's signature (events) and Pub/Sub's OIDC
# token (worker) itself; the demo page is public by design; the X function only for the Scheduler, unless
# post_mode is curated: then Slack's button clicks must reach its /slack/actions too, and the function
# checks Slack's signature there and the Scheduler's OIDC token (audience and account) on its trigger.
resource "google_cloud_run_v2_service_iam_member" "slack_is_public" {
  name     = google_cloudfunctions2_function.slack.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "demo_is_public" {
  name     = google_cloudfunctions2_function.demo.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "twitter_is_public_when_curated" {
  count    = var.post_mode == "curated" ? 1 : 0
  name     = google_cloudfunctions2_function.twitter.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_v2_service_iam_member" "scheduler_invokes_twitter" {
  name     = google_cloudfunctions2_function.twitter.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}
