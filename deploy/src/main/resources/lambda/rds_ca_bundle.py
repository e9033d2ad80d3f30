"""CloudFormation custom resource: puts the RDS CA bundle where the cdc-job reads it.

On Create and Update it downloads the PEM bundle at the resource property Url, checks that it holds
only certificates (at least one), and writes it to s3://Bucket/Key, which the cdc-job names as
postgres.sslrootcert (sslmode verify-full). Delete removes every version of that one object (so a
stack without retained data can delete its versioned bucket) and nothing else; CloudFormation
deletes the application that reads it first, and sends Delete for a replaced resource only after the
application names the new one. Every invocation answers
CloudFormation through the ResponseURL (SUCCESS or FAILED with the reason), also when it fails, so a
stack never waits for the custom resource timeout.
"""
import base64
import binascii
import hashlib
import json
import re
import urllib.request

import boto3

DOWNLOAD_TIMEOUT_SECONDS = 30
MAX_BUNDLE_BYTES = 4 * 1024 * 1024
_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\s*(.*?)\s*-----END \1-----", re.S)


def certificates(pem_bytes):
    """The number of certificates in a PEM bundle; ValueError when it is not a bundle of certificates."""
    try:
        text = pem_bytes.decode("ascii")
    except UnicodeDecodeError:
        raise ValueError("the bundle is not ASCII PEM text")
    count = 0
    rest = text
    for match in _BLOCK.finditer(text):
        if match.group(1) != "CERTIFICATE":
            raise ValueError("the bundle holds a " + match.group(1) + " block, not only certificates")
        try:
            der = base64.b64decode("".join(match.group(2).split()), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("certificate " + str(count + 1) + " is not valid base64")
        if len(der) < 100 or der[0] != 0x30:
            raise ValueError("certificate " + str(count + 1) + " is not a DER certificate")
        count += 1
        rest = rest.replace(match.group(0), "", 1)
    if count == 0:
        raise ValueError("no PEM certificate in the bundle")
    if rest.strip():
        raise ValueError("the bundle holds text outside its certificates")
    return count


def download(url):
    """The body at url (the stack passes the RDS trust store's https URL; urllib checks its certificate)."""
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
        body = response.read(MAX_BUNDLE_BYTES + 1)
    if len(body) > MAX_BUNDLE_BYTES:
        raise ValueError("the bundle is larger than " + str(MAX_BUNDLE_BYTES) + " bytes")
    return body


def delete_versions(bucket, key):
    """Deletes every version and delete marker of exactly bucket/key; returns how many."""
    s3 = boto3.client("s3")
    deleted = 0
    request = {"Bucket": bucket, "Prefix": key}
    while True:
        page = s3.list_object_versions(**request)
        for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if v["Key"] == key:  # the prefix also matches longer keys
                s3.delete_object(Bucket=bucket, Key=key, VersionId=v["VersionId"])
                deleted += 1
        if not page.get("IsTruncated"):
            return deleted
        request["KeyMarker"] = page["NextKeyMarker"]
        request["VersionIdMarker"] = page["NextVersionIdMarker"]


def delete(physical_id, location, props):
    """Removes the object this resource wrote; never fails, so it cannot block a stack's deletion."""
    if physical_id != location:  # not an object this resource wrote: leave it alone
        reason = f"{physical_id} is not {location}, nothing deleted"
    else:
        try:
            reason = f"{delete_versions(props['Bucket'], props['Key'])} versions of {location} deleted"
        except Exception as e:  # noqa: BLE001 - the bucket's own deletion then reports what is left
            reason = f"{location} left in place: {type(e).__name__}: {e}"
    print("Delete: " + reason)
    return reason


def respond(event, context, status, reason, physical_id, data):
    """The cfn-response protocol: a PUT of the result to the pre-signed ResponseURL."""
    body = json.dumps({
        "Status": status,
        "Reason": reason[:3000],
        "PhysicalResourceId": physical_id,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "NoEcho": False,
        "Data": data,
    }).encode("utf-8")
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body))})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
        response.read()


def handler(event, context):
    props = event.get("ResourceProperties", {})
    location = "s3://" + str(props.get("Bucket")) + "/" + str(props.get("Key"))
    # A failed Create answers with this id too, so the Delete of its rollback names this object.
    physical_id = event.get("PhysicalResourceId") or location
    try:
        if event["RequestType"] == "Delete":
            respond(event, context, "SUCCESS", delete(physical_id, location, props), physical_id, {})
            return
        bundle = download(props["Url"])
        count = certificates(bundle)
        digest = hashlib.sha256(bundle).hexdigest()
        boto3.client("s3").put_object(Bucket=props["Bucket"], Key=props["Key"], Body=bundle,
                                      ContentType="application/x-pem-file")
        print(f"{event['RequestType']}: {count} certificates from {props['Url']} written to {location}, "
              f"sha256 {digest}")
        respond(event, context, "SUCCESS", f"{count} certificates", location,
                {"Location": location, "Certificates": str(count), "Sha256": digest})
    except Exception as e:  # noqa: BLE001 - every failure must reach CloudFormation
        reason = f"RDS CA bundle {props.get('Url')} -> {location}: {type(e).__name__}: {e}"
        print("FAILED: " + reason)
        respond(event, context, "FAILED", reason, physical_id, {})
