# mimicbot on Google Cloud: the model server on Cloud Run, the Slack, X and demo functions as Cloud Run
# functions (gen2), their queue, store, schedule, secrets and identities. See the README's deploy section
# for the order of commands; deploy/test/terraform-invariants.test.ts holds the rules this stack must keep.
terraform {
  required_version = ">= 1.5"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 7.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
  }
  # State in a bucket the maker creates once: terraform init -backend-config=bucket=<project>-tfstate
  backend "gcs" {
    prefix = "mimicbot"
  }
}

provider "google" {
  project = var.project
  region  = var.region
}

provider "google-beta" {
  project = var.project
  region  = var.region
}

data "google_project" "this" {
  project_id = var.project
}
