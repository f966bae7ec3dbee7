"""Calls the five operations of the local mock server through the official Huawei Cloud
Python SDKs (huaweicloudsdkdli, huaweicloudsdkfunctiongraph), signed with AK/SK.

Run by scripts/sdk-check.sh, which installs the pinned SDKs and starts the mock server with
`--verify-signatures AK:SK`. Each call must succeed and its response must parse into the SDK's
response model; a call signed with a wrong secret key must be refused with 401 in the spec's
error format. The SDK only ever talks to the endpoint given (127.0.0.1).

Usage: python sdk_check.py ENDPOINT AK SK PROJECT_ID
Exit status: 0 when every check passes, 1 otherwise.
"""

import sys
import traceback
from urllib.parse import urlparse

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkdli.v1 import DliClient
from huaweicloudsdkdli.v1 import model as dli
from huaweicloudsdkfunctiongraph.v2 import FunctionGraphClient
from huaweicloudsdkfunctiongraph.v2 import model as fgs


def clients(endpoint, ak, sk, project_id):
    """A DLI and a FunctionGraph client that send to `endpoint` only."""
    credentials = BasicCredentials(ak, sk, project_id)
    dli_client = (
        DliClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([endpoint])
        .build()
    )
    fgs_client = (
        FunctionGraphClient.new_builder()
        .with_credentials(BasicCredentials(ak, sk, project_id))
        .with_endpoints([endpoint])
        .build()
    )
    return dli_client, fgs_client


def is_true(value):
    """The SDK models `is_success` as a bool or a str, so it may read `True` or "True"."""
    return str(value).lower() == "true"


def calls(dli_client, fgs_client):
    """The five operations, each with a check of the parsed response."""

    def run_ief_job_action_call_back():
        body = dli.RunIefJobActionCallBackRequestBody(
            message_id="5a3f33f7-bcd9-42bd-a8ca-9b612c36b3ase",
            state=dli.State(phase="FAILED", reason="flink job submit failed,"),
        )
        response = dli_client.run_ief_job_action_call_back(
            dli.RunIefJobActionCallBackRequest(body=body)
        )
        assert isinstance(response, dli.RunIefJobActionCallBackResponse), response
        assert is_true(response.is_success), response
        assert response.message, response
        return response

    def update_flink_job_status_report():
        job = dli.Job(
            job_id=99270,
            status="job_submit_fail",
            create_time=1591104868201,
            exceptions="agent_submit_job_exception_error",
        )
        body = dli.ChangeFlinkJobStatusReportRequestBody(
            jobs=[job],
            message_id="0b8e1a7c-2f44-4c2b-9d2e-6f0a7d1c3e55",
            msg_confirm_topic="hw/events/messages/dli/message/confirm",
        )
        response = dli_client.update_flink_job_status_report(
            dli.UpdateFlinkJobStatusReportRequest(body=body)
        )
        assert isinstance(response, dli.UpdateFlinkJobStatusReportResponse), response
        assert is_true(response.is_success), response
        return response

    def create_flink_jar_job():
        body = dli.CreateFlinkJarJobRequestBody(
            name="test",
            desc="job for test",
            queue_name="testQueue",
            manager_cu_number=1,
            cu_number=2,
            parallel_number=1,
            log_enabled=True,
            obs_bucket="bucketName",
            smn_topic="topic",
            main_class="org.apache.flink.examples.streaming.JavaQueueStream",
            restart_when_exception=False,
            entrypoint="javaQueueStream.jar",
            dependency_jars=["myGroup/test.jar", "myGroup/test1.jar"],
            dependency_files=["myGroup/test.csv", "myGroup/test1.csv"],
            checkpoint_enabled=False,
            tm_cus=1,
        )
        response = dli_client.create_flink_jar_job(
            dli.CreateFlinkJarJobRequest(body=body)
        )
        assert isinstance(response, dli.CreateFlinkJarJobResponse), response
        assert is_true(response.is_success), response
        assert response.job is not None and response.job.job_id == 138, response
        return response

    def update_flink_jar_job():
        body = dli.UpdateFlinkJarJobRequestBody(
            name="test1", cu_number=4, tm_cus=2, tm_slot_num=2
        )
        response = dli_client.update_flink_jar_job(
            dli.UpdateFlinkJarJobRequest(job_id=138, body=body)
        )
        assert isinstance(response, dli.UpdateFlinkJarJobResponse), response
        assert is_true(response.is_success), response
        assert response.job is not None and response.job.update_time > 0, response
        return response

    def create_callback_workflow():
        body = fgs.CallbackWorkflowRequestBody(result="success", output={})
        response = fgs_client.create_callback_workflow(
            fgs.CreateCallbackWorkflowRequest(
                workflow_id="6e9b7c3a-8d0f-4c47-a1d5-2f1e0b9c4a77",
                x_workflow_run_id="1f0d3c5e-7a9b-4e21-8c6d-5b4a3f2e1d0c",
                x_workflow_state_id="wait_for_approval",
                body=body,
            )
        )
        assert isinstance(response, fgs.CreateCallbackWorkflowResponse), response
        assert response.execution_id, response
        return response

    return [
        ("RunIefJobActionCallBack", run_ief_job_action_call_back),
        ("ChangeFlinkJobStatusReport", update_flink_job_status_report),
        ("CreateFlinkJarJob", create_flink_jar_job),
        ("UpdateFlinkJarJob", update_flink_jar_job),
        ("CreateCallbackWorkflow", create_callback_workflow),
    ]


def expect_refused(name, call, code):
    """`call` must fail with 401 and an error body carrying `code`."""
    try:
        response = call()
    except ClientRequestException as err:
        assert err.status_code == 401, f"{name}: status {err.status_code}: {err}"
        assert err.error_code == code, f"{name}: error_code {err.error_code!r}"
        assert err.error_msg, f"{name}: no error_msg"
        assert err.request_id, f"{name}: no X-Request-Id"
        return
    raise AssertionError(f"{name}: accepted with a wrong secret key: {response}")


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint, ak, sk, project_id = argv[1:]
    host = urlparse(endpoint).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"sdk-check: refusing to call {endpoint}: only a local mock server", file=sys.stderr)
        return 2

    failures = 0
    dli_client, fgs_client = clients(endpoint, ak, sk, project_id)
    for name, call in calls(dli_client, fgs_client):
        try:
            response = call()
            print(f"ok    {name}: {response.to_dict()}")
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            failures += 1
            print(f"FAIL  {name}", file=sys.stderr)
            traceback.print_exc()

    wrong_dli, wrong_fgs = clients(endpoint, ak, sk + "-wrong", project_id)
    for name, call in calls(wrong_dli, wrong_fgs):
        code = "FSS.0400" if name == "CreateCallbackWorkflow" else "DLI.0001"
        try:
            expect_refused(name, call, code)
            print(f"ok    {name} with a wrong secret key: 401 {code}")
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            failures += 1
            print(f"FAIL  {name} with a wrong secret key", file=sys.stderr)
            traceback.print_exc()

    if failures:
        print(f"sdk-check: {failures} check(s) failed", file=sys.stderr)
        return 1
    print("sdk-check: all five operations succeeded through the official SDKs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
