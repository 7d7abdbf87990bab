output "slack_events_url" {
  description = "Slack app settings > Event Subscriptions > Request URL (the manifest already has it)."
  value       = "${local.slack_url}/slack/events"
}

output "slack_interactivity_url" {
  description = "Slack app settings > Interactivity & Shortcuts > Request URL: the X function's curation buttons (post_mode = curated; the manifest already has it)."
  value       = "${local.twitter_url}/slack/actions"
}

output "slack_manifest" {
  description = "functions/slack/manifest.yaml with this deployment's URLs and name: paste it at Slack's Create New App > From an app manifest."
  value = replace(
    replace(
      replace(file("${path.module}/../../functions/slack/manifest.yaml"), "https://SLACK-FUNCTION-URL", local.slack_url),
      "https://X-FUNCTION-URL", local.twitter_url,
    ),
    "BOT-NAME", var.bot_name,
  )
}

output "demo_url" {
  description = "The demo page."
  value       = local.demo_url
}

output "twitter_url" {
  description = "The X poster (Cloud Scheduler only). Run it now: gcloud scheduler jobs run <bot_name>-post --location <region>."
  value       = local.twitter_url
}

output "server_url" {
  description = "The model server (private: curl -H \"Authorization: Bearer $(gcloud auth print-identity-token)\" ...)."
  value       = google_cloud_run_v2_service.server.uri
}

output "image_repository" {
  description = "Where cloudbuild.yaml pushes the server image: <this>/server:<tag>."
  value       = "${var.region}-docker.pkg.dev/${var.project}/${google_artifact_registry_repository.images.repository_id}"
}

output "slack_dead_letters" {
  description = "Slack messages the worker never managed to answer: gcloud pubsub subscriptions pull <this> --limit 10."
  value       = google_pubsub_subscription.slack_dead_letters.name
}
