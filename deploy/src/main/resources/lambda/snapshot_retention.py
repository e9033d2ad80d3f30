"""Deletes the oldest scheduled snapshots of Tributary's Managed Flink applications.

Keeps the newest KEEP snapshots named scheduled-* (those the stack's EventBridge schedules take) of
each application in APPLICATIONS (comma-separated). Snapshots Managed Flink takes on updates and
stops, and any an operator named, are never touched. Runs daily from EventBridge Scheduler.
"""
import os

import boto3


def scheduled_snapshots(client, application):
    """The application's READY snapshots named scheduled-*, newest first."""
    found = []
    token = None
    while True:
        request = {"ApplicationName": application, "Limit": 50}
        if token:
            request["NextToken"] = token
        response = client.list_application_snapshots(**request)
        for s in response.get("SnapshotSummaries", []):
            if s["SnapshotName"].startswith("scheduled-") and s.get("SnapshotStatus") == "READY":
                found.append(s)
        token = response.get("NextToken")
        if not token:
            break
    found.sort(key=lambda s: s["SnapshotCreationTimestamp"], reverse=True)
    return found


def handler(event, context):
    keep = int(os.environ["KEEP"])
    if keep < 1:
        raise ValueError("KEEP must be at least 1")
    client = boto3.client("kinesisanalyticsv2")
    deleted = []
    for application in os.environ["APPLICATIONS"].split(","):
        snapshots = scheduled_snapshots(client, application)
        for s in snapshots[keep:]:
            client.delete_application_snapshot(
                ApplicationName=application,
                SnapshotName=s["SnapshotName"],
                SnapshotCreationTimestamp=s["SnapshotCreationTimestamp"],
            )
            deleted.append(application + "/" + s["SnapshotName"])
        print(f"{application}: {len(snapshots)} scheduled snapshots, kept {min(keep, len(snapshots))}, "
              f"deleted {max(0, len(snapshots) - keep)}")
    return {"deleted": deleted}
