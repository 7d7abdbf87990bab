# The functions' shared store (STORE=firestore): Slack claims, the mention cursor, the demo's rate-limit
# windows, recent posts. Native mode; free tier for one database per project.
resource "google_firestore_database" "store" {
  name        = var.firestore_database
  location_id = coalesce(var.firestore_location, var.region)
  type        = "FIRESTORE_NATIVE"
  # Leave the data behind on `terraform destroy` rather than delete it.
  deletion_policy = "ABANDON"
  depends_on      = [google_project_service.api]
}

# Expired keys are deleted by Firestore itself; no index on the field (a TTL field written with ever-later
# timestamps would only create an index hotspot).
resource "google_firestore_field" "expiry" {
  database   = google_firestore_database.store.name
  collection = local.firestore_collection
  field      = local.firestore_expiry_field
  ttl_config {}
  index_config {}
}

# Feedback documents are deleted by Firestore once their expiry has passed, like the store's keys.
resource "google_firestore_field" "feedback_expiry" {
  database   = google_firestore_database.store.name
  collection = local.feedback_collection
  field      = local.feedback_expiry_field
  ttl_config {}
  index_config {}
}

# A reply's votes map is keyed by voter digest: indexing every key would add an index entry per vote and
# no query reads it (export filters on `rated`).
resource "google_firestore_field" "feedback_votes" {
  database   = google_firestore_database.store.name
  collection = local.feedback_collection
  field      = "votes"
  index_config {}
}
