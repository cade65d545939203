# Custom resource of the member baseline: makes sure AWS Config's
# service-linked role exists before the stack's recorder names it, in every
# region's stack, in whatever order CloudFormation runs them and whether or
# not the account already has the role. IAM refuses to create it twice and
# AWS Config refuses a recorder whose role does not exist.
import time

import boto3
import cfnresponse

ROLE = "AWSServiceRoleForConfig"


def handler(event, context):
    try:
        if event["RequestType"] != "Delete":
            ensure(boto3.client("iam"))
        # Delete keeps the role: the other regions' recorders use it.
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {"RoleName": ROLE}, ROLE)
    except Exception as err:  # any failure must reach CloudFormation
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, ROLE, reason=str(err)[:500])


def ensure(iam):
    if exists(iam):
        return
    try:
        iam.create_service_linked_role(AWSServiceName="config.amazonaws.com")
    except iam.exceptions.InvalidInputException:
        pass  # "has been taken": another region's stack created it meanwhile
    for _ in range(30):
        if exists(iam):
            time.sleep(10)  # IAM is eventually consistent: let AWS Config see it
            return
        time.sleep(2)
    raise RuntimeError(ROLE + " does not exist after CreateServiceLinkedRole")


def exists(iam):
    try:
        iam.get_role(RoleName=ROLE)
        return True
    except iam.exceptions.NoSuchEntityException:
        return False
