# One identity per job, each holding only what that job needs; the README's table lists every grant, and
# deploy/test/terraform-invariants.test.ts holds this file to it.

resource "google_service_account" "server" {
  account_id   = "${var.bot_name}-server"
  display_name = "mimicbot model server (runs the image; reads nothing)"
  depends_on   = [google_project_service.api]
}

resource "google_service_account" "slack" {
  account_id   = "${var.bot_name}-slack"
  display_name = "mimicbot Slack function"
  depends_on   = [google_project_service.api]
}

resource "google_service_account" "twitter" {
  account_id   = "${var.bot_name}-twitter"
  display_name = "mimicbot X poster function"
  depends_on   = [google_project_service.api]
}

resource "google_service_account" "demo" {
  account_id   = "${var.bot_name}-demo"
  display_name = "mimicbot demo page function"
  depends_on   = [google_project_service.api]
}

# Cloud Scheduler signs its calls to the X function as this account.
resource "google_service_account" "scheduler" {
  account_id   = "${var.bot_name}-scheduler"
  display_name = "mimicbot schedule (invokes the X function)"
  depends_on   = [google_project_service.api]
}

# Pub/Sub signs its pushes to the Slack worker as this account; the worker checks the token's email.
resource "google_service_account" "slack_push" {
  account_id   = "${var.bot_name}-slack-push"
  display_name = "mimicbot Slack queue (pushes to the worker)"
  depends_on   = [google_project_service.api]
}

# Builds the functions' containers. New projects build with the Compute Engine default account, which
# organisation policies often leave without the roles a build needs.
resource "google_service_account" "build" {
  account_id   = "${var.bot_name}-build"
  display_name = "mimicbot function builds"
  depends_on   = [google_project_service.api]
}

resource "google_project_iam_member" "build_builds" {
  project = var.project
  role    = "roles/cloudbuild.builds.builder"
  member  = "serviceAccount:${google_service_account.build.email}"
}

# Firestore grants are per project (the store's reads, writes and transactions).
resource "google_project_iam_member" "slack_uses_firestore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.slack.email}"
}

resource "google_project_iam_member" "twitter_uses_firestore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.twitter.email}"
}

resource "google_project_iam_member" "demo_uses_firestore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.demo.email}"
}
