"""A stand-in for boto3 in SnapshotRetentionScriptTest: the Managed Flink control plane cannot run here.

Serves the snapshots in the JSON file FAKE_SNAPSHOTS ({application: [summary, ...]}) in pages of the
requested size, and appends every deletion to FAKE_DELETED as "application/snapshot".
"""
import json
import os


class _KinesisAnalyticsV2:
    def __init__(self):
        with open(os.environ["FAKE_SNAPSHOTS"]) as f:
            self.snapshots = json.load(f)

    def list_application_snapshots(self, ApplicationName, Limit, NextToken=None):
        items = self.snapshots[ApplicationName]
        start = int(NextToken or 0)
        response = {"SnapshotSummaries": items[start:start + Limit]}
        if start + Limit < len(items):
            response["NextToken"] = str(start + Limit)
        return response

    def delete_application_snapshot(self, ApplicationName, SnapshotName, SnapshotCreationTimestamp):
        match = [s for s in self.snapshots[ApplicationName]
                 if s["SnapshotName"] == SnapshotName and s["SnapshotCreationTimestamp"] == SnapshotCreationTimestamp]
        if len(match) != 1:
            raise ValueError("no snapshot " + SnapshotName + " created at " + str(SnapshotCreationTimestamp))
        with open(os.environ["FAKE_DELETED"], "a") as f:
            f.write(ApplicationName + "/" + SnapshotName + "\n")


def client(service):
    if service != "kinesisanalyticsv2":
        raise ValueError("unexpected service " + service)
    return _KinesisAnalyticsV2()
