//! Plain derived serde structs equivalent to the generated types, as someone would write
//! them by hand: the baseline of the decoding and server benchmarks.
//!
//! Fields that the spec declares lenient (a boolean that may come as a string, a list
//! that may come as one comma-separated string) are untagged enums here, the usual
//! hand-written way to accept both forms.

use serde::{Deserialize, Serialize};

/// A boolean or its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Flag {
    Bool(bool),
    Text(String),
}

/// A list of strings or one comma-separated string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Names {
    List(Vec<String>),
    Text(String),
}

/// The body of `CreateFlinkJarJob`; absent fields are left out, as the generated
/// client does, so that both send the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlinkJarJobCreateRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cu_number: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_cu_number: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_number: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obs_bucket: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smn_topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint_args: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_when_exception: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependency_jars: Option<Names>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependency_files: Option<Names>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_mode: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_interval: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flink_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tm_slot_num: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tm_cus: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_checkpoint: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_max_num: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flink_log_config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_agency_urn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_config_version: Option<String>,
}

/// The answer of the edge Flink operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeOperationResponse {
    pub is_success: Option<Flag>,
    pub message: Option<String>,
}

/// The answer of `CreateFlinkJarJob`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlinkJarJobCreateResponse {
    pub is_success: Option<Flag>,
    pub message: Option<String>,
    pub job: Option<FlinkJarJobStatus>,
}

/// The created job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlinkJarJobStatus {
    pub job_id: i64,
    pub status_name: Option<String>,
    pub status_desc: Option<String>,
}

/// The answer of `UpdateFlinkJarJob`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlinkJarJobUpdateResponse {
    pub is_success: Option<Flag>,
    pub message: Option<String>,
    pub job: Option<FlinkJarJobUpdateTime>,
}

/// When the job was updated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlinkJarJobUpdateTime {
    pub update_time: Option<i64>,
}

/// The answer of `CreateCallbackWorkflow`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowCallbackResponse {
    pub execution_id: Option<String>,
}

/// The error body of every operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    pub error_code: String,
    pub error_msg: String,
}

/// The `CreateFlinkJarJob` answer that the benchmark servers send: the spec's seed.
pub fn create_flink_jar_job_response() -> FlinkJarJobCreateResponse {
    FlinkJarJobCreateResponse {
        is_success: Some(Flag::Bool(true)),
        message: Some("新建flink作业成功".to_string()),
        job: Some(FlinkJarJobStatus {
            job_id: 138,
            status_name: Some("running".to_string()),
            status_desc: Some("正在运行".to_string()),
        }),
    }
}
