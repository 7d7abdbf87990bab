# Calls the X function on var.schedule with an OIDC token whose audience is the function's own URL; Cloud
# Run lets only this service account in, and the function checks audience and email again.
resource "google_cloud_scheduler_job" "post" {
  name      = "${var.bot_name}-post"
  region    = var.region
  schedule  = var.schedule
  time_zone = var.time_zone
  # The function's timeout and a margin.
  attempt_deadline = "320s"
  # A missed post is better than a double one.
  retry_config {
    retry_count = 0
  }
  http_target {
    uri         = local.twitter_url
    http_method = "POST"
    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = local.twitter_url
    }
  }
  depends_on = [google_cloud_run_v2_service_iam_member.scheduler_invokes_twitter, google_project_service.api]
}
