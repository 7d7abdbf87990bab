variable "project" {
  description = "Google Cloud project id."
  type        = string
}

variable "region" {
  description = "Region of every regional resource (Cloud Run, functions, Artifact Registry, Scheduler, Firestore unless firestore_location says otherwise)."
  type        = string
  default     = "europe-west1"
}

variable "bot_name" {
  description = "Prefix of every resource name: <bot_name>-server, <bot_name>-slack, ... Two bots can share a project under two names."
  type        = string
  default     = "mimicbot"
  validation {
    # Service account ids are 6-30 characters and the longest suffix is -discord-push (13).
    condition     = can(regex("^[a-z][a-z0-9-]{2,15}[a-z0-9]$", var.bot_name))
    error_message = "bot_name: 4 to 17 characters, lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "server_image" {
  description = "The model server's image, as cloudbuild.yaml pushed it: <region>-docker.pkg.dev/<project>/<bot_name>/server:<tag>."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9.-]+/[^:@]+(:[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})$", var.server_image))
    error_message = "server_image: a full image reference with a tag or a digest, e.g. europe-west1-docker.pkg.dev/my-project/mimicbot/server:v1."
  }
}

variable "model_mb" {
  description = <<-EOT
    Size in MB of the graph file the server loads (server_decoder.onnx plus any .onnx_data beside it; `du -m`;
    for a folder of models, the sum over the models it serves).
    The server's memory follows from it: max(1, ceil((512 + 3 * model_mb) / 1024)) GiB. Three times the
    weights cover onnxruntime's copy while loading, the weights themselves, and the KV cache of a full batch
    (MAX_BATCH 16 x 1024 positions is ~1.2 GB for the 124M shape); 512 MB is Node, onnxruntime and HTTP.
    GPT-2 124M in fp32 is ~500 MB: 2 GiB; the embedded default model (5 MB): 1 GiB.
  EOT
  type        = number
  default     = 500
  validation {
    condition     = var.model_mb > 0 && var.model_mb <= 10000
    error_message = "model_mb: the graph's size in MB, from 1 to 10000 (Cloud Run offers at most 32 GiB)."
  }
}

variable "server_cpu" {
  description = "vCPUs per server instance; onnxruntime uses one thread per vCPU (THREADS)."
  type        = number
  default     = 2
}

variable "server_min_instances" {
  description = "Server instances kept warm. 0 scales to zero (no cost when idle; the first request waits for a cold start of a few seconds plus the model's load)."
  type        = number
  default     = 0
}

variable "server_max_instances" {
  description = "Most server instances Cloud Run starts under load."
  type        = number
  default     = 3
}

variable "server_concurrency" {
  description = "Requests Cloud Run sends to one server instance at once: MAX_BATCH (16) decode together and as many wait in its queue; past that Cloud Run starts another instance instead of the server answering 429. Must not exceed MAX_BATCH + QUEUE_SIZE."
  type        = number
  default     = 32
}

variable "schedule" {
  description = "When the X poster runs (cron, in time_zone). millzbot's: 08:00, 12:00 and 17:00 on weekdays."
  type        = string
  default     = "0 8,12,17 * * 1-5"
}

variable "time_zone" {
  description = "Time zone of the schedule (tz database name)."
  type        = string
  default     = "Etc/UTC"
}

variable "reply_to_mentions" {
  description = "After each scheduled post, the X poster also answers mentions that arrived since its last run."
  type        = bool
  default     = false
}

# Personas: which served model each surface speaks as, by model id (the subfolder's name when the server's
# image was built from a folder of model folders, MODEL=models/bots). Empty: the server's default model.
variable "slack_model" {
  description = "Model id the Slack bot speaks as (its MODEL_NAME); empty: the server's default model."
  type        = string
  default     = ""
}

variable "x_model" {
  description = "Model id the X poster speaks as (its MODEL_NAME); empty: the server's default model."
  type        = string
  default     = ""
}

variable "discord_model" {
  description = "Model id the Discord bot speaks as (its MODEL_NAME); empty: the server's default model."
  type        = string
  default     = ""
}

variable "demo_models" {
  description = "One or two model ids, comma-separated, the demo page shows (its MODEL_NAMES; two side by side); empty: the server's default model."
  type        = string
  default     = ""
  validation {
    condition     = length(compact(split(",", var.demo_models))) <= 2
    error_message = "demo_models: at most two model ids, comma-separated."
  }
}

variable "post_mode" {
  description = "auto: each scheduled run posts the best draft. curated: it drafts curated_candidates into the private Slack channel curated_channel, and a person's Approve posts one (the Slack app's Interactivity URL is this function's /slack/actions, so the X function becomes public and checks Slack's signature and the Scheduler's token itself)."
  type        = string
  default     = "auto"
  validation {
    condition     = contains(["auto", "curated"], var.post_mode)
    error_message = "post_mode: auto or curated."
  }
}

variable "curated_channel" {
  description = "With post_mode = curated: the id (C..., not the name) of the private Slack channel the drafts go to; invite the bot there."
  type        = string
  default     = ""
}

variable "curated_candidates" {
  description = "With post_mode = curated: drafts offered per scheduled run (1 to 10)."
  type        = number
  default     = 3
}

variable "curated_draft_ttl_ms" {
  description = "With post_mode = curated: how long the drafts' buttons work, in ms (default a day); a later click is told they expired."
  type        = number
  default     = 86400000
}

variable "post_disclosure" {
  description = "Appended after a space to every post and reply on X (e.g. \"🤖\"), counted in the 280; empty for none. See the README's ethics section."
  type        = string
  default     = ""
}

variable "allowed_origins" {
  description = "Other sites whose pages may call the demo function (comma-separated origins, or *); its own page always may."
  type        = string
  default     = ""
}

variable "demo_rate_limit_per_minute" {
  description = "Generations per client per minute on the public demo."
  type        = number
  default     = 10
}

variable "firestore_database" {
  description = "Firestore database id. Google's free tier covers one database per project: keep (default) unless another app already uses it."
  type        = string
  default     = "(default)"
}

variable "firestore_location" {
  description = "Firestore location (a region such as europe-west1, or a multi-region such as eur3); null: var.region."
  type        = string
  default     = null
}

variable "slack_max_delivery_attempts" {
  description = "Pub/Sub deliveries of one Slack message to the worker before it goes to the dead-letter topic. With backoff from 10 s to 600 s, 10 attempts span about 40 minutes."
  type        = number
  default     = 10
  validation {
    condition     = var.slack_max_delivery_attempts >= 5 && var.slack_max_delivery_attempts <= 100
    error_message = "slack_max_delivery_attempts: Pub/Sub allows 5 to 100."
  }
}

variable "discord_max_delivery_attempts" {
  description = "Pub/Sub deliveries of one Discord command to the worker before it goes to the dead-letter topic. With backoff from 10 s to 60 s, 10 attempts span about 7 minutes, inside the interaction token's 15."
  type        = number
  default     = 10
  validation {
    condition     = var.discord_max_delivery_attempts >= 5 && var.discord_max_delivery_attempts <= 100
    error_message = "discord_max_delivery_attempts: Pub/Sub allows 5 to 100."
  }
}
