# The APIs the stack uses. serviceusage and cloudresourcemanager must already be on for Terraform to turn
# these on (the README's bootstrap step does it, with the two the image build needs before Terraform runs).
resource "google_project_service" "api" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
  service = each.key
  # Turning an API off on destroy would break anything else in the project that uses it.
  disable_on_destroy = false
}
