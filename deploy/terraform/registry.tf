# Where cloudbuild.yaml pushes the model server's image.
resource "google_artifact_registry_repository" "images" {
  repository_id = var.bot_name
  location      = var.region
  format        = "DOCKER"
  description   = "mimicbot model server images (cloudbuild.yaml)"
  docker_config {
    # A tag names one image forever: rolling back to v1 deploys exactly what v1 was.
    immutable_tags = true
  }
  depends_on = [google_project_service.api]
}
