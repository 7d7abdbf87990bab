# The model server: private (only the functions' service accounts may invoke it, with Google ID tokens), so
# it needs no API_KEYS or REQUEST_TOKEN of its own; scales to zero unless server_min_instances says otherwise.
resource "google_cloud_run_v2_service" "server" {
  name     = "${var.bot_name}-server"
  location = var.region
  # Reached over its URL by the functions (which have no VPC), so ingress stays open and IAM guards it.
  ingress              = "INGRESS_TRAFFIC_ALL"
  invoker_iam_disabled = false
  # Stateless: a destroy or a rename recreates it from the image.
  deletion_protection = false

  template {
    service_account                  = google_service_account.server.email
    max_instance_request_concurrency = var.server_concurrency
    # Above the server's REQUEST_TIMEOUT_MS (60 s): the server answers 504 itself first.
    timeout               = "300s"
    execution_environment = "EXECUTION_ENVIRONMENT_GEN2"
    scaling {
      min_instance_count = var.server_min_instances
      max_instance_count = var.server_max_instances
    }
    containers {
      image = var.server_image
      ports {
        container_port = 8080
      }
      resources {
        limits = {
          cpu    = tostring(var.server_cpu)
          memory = "${local.server_memory_gib}Gi"
        }
        # CPU only while serving (billed per request), and a boost while the model loads.
        cpu_idle          = true
        startup_cpu_boost = true
      }
      # One onnxruntime thread per vCPU paid for (Node may see more CPUs than the instance's quota).
      env {
        name  = "THREADS"
        value = tostring(var.server_cpu)
      }
      env {
        name  = "SHUTDOWN_GRACE_MS"
        value = tostring(local.server_shutdown_grace_ms)
      }
      # /readyz answers 200 once the model is loaded and warmed; no traffic before that. Up to 2 minutes.
      startup_probe {
        http_get {
          path = "/readyz"
          port = 8080
        }
        period_seconds    = 2
        timeout_seconds   = 2
        failure_threshold = 60
      }
    }
  }
  depends_on = [google_project_service.api]
}

# The functions call the server with ID tokens for its URL (MODEL_AUDIENCE); Cloud Run checks them.
resource "google_cloud_run_v2_service_iam_member" "slack_invokes_server" {
  name     = google_cloud_run_v2_service.server.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.slack.email}"
}

resource "google_cloud_run_v2_service_iam_member" "twitter_invokes_server" {
  name     = google_cloud_run_v2_service.server.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.twitter.email}"
}

resource "google_cloud_run_v2_service_iam_member" "demo_invokes_server" {
  name     = google_cloud_run_v2_service.server.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.demo.email}"
}
