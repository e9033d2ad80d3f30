"""A stand-in for boto3 in SnapshotRetentionScriptTest and RdsCaBundleScriptTest: the AWS APIs cannot run here.

kinesisanalyticsv2 serves the snapshots in the JSON file FAKE_SNAPSHOTS ({application: [summary, ...]}) in pages of the
requested size, and appends every deletion to FAKE_DELETED as "application/snapshot".
s3 writes each put_object body to FAKE_S3_DIR/<bucket>/<key> (put_object and list_object_versions raise
FAKE_S3_ERROR when that is set);
an object there has one version, "v1" (list_object_versions pages one entry at a time), which delete_object removes.
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


class _S3:
    def put_object(self, Bucket, Key, Body, **kwargs):
        if os.environ.get("FAKE_S3_ERROR"):
            raise PermissionError(os.environ["FAKE_S3_ERROR"])
        path = os.path.join(os.environ["FAKE_S3_DIR"], Bucket, Key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(Body)
        return {"ETag": "fake"}

    def list_object_versions(self, Bucket, Prefix, KeyMarker=None, VersionIdMarker=None):
        if os.environ.get("FAKE_S3_ERROR"):
            raise PermissionError(os.environ["FAKE_S3_ERROR"])
        root = os.path.join(os.environ["FAKE_S3_DIR"], Bucket)
        keys = []
        for directory, _, files in os.walk(root):
            for name in files:
                key = os.path.relpath(os.path.join(directory, name), root)
                if key.startswith(Prefix):
                    keys.append(key)
        keys.sort()
        # Like S3, the page starts after the marker, which need not exist any more.
        start = len([k for k in keys if KeyMarker and k <= KeyMarker])
        page = keys[start:start + 1]
        response = {"Versions": [{"Key": k, "VersionId": "v1"} for k in page], "DeleteMarkers": []}
        if start + 1 < len(keys):
            response.update(IsTruncated=True, NextKeyMarker=page[-1], NextVersionIdMarker="v1")
        return response

    def delete_object(self, Bucket, Key, VersionId):
        os.remove(os.path.join(os.environ["FAKE_S3_DIR"], Bucket, Key))
        with open(os.path.join(os.environ["FAKE_S3_DIR"], "deleted.txt"), "a") as f:
            f.write(Bucket + "/" + Key + "@" + VersionId + "\n")


def client(service):
    if service == "kinesisanalyticsv2":
        return _KinesisAnalyticsV2()
    if service == "s3":
        return _S3()
    raise ValueError("unexpected service " + service)
