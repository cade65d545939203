package tests

// Type tokens of the resources the tests look at.
const (
	typeBucket                     = "aws:s3/bucketV2:BucketV2"
	typeBucketPolicy               = "aws:s3/bucketPolicy:BucketPolicy"
	typeKey                        = "aws:kms/key:Key"
	typeTrail                      = "aws:cloudtrail/trail:Trail"
	typeLogGroup                   = "aws:cloudwatch/logGroup:LogGroup"
	typeRecorder                   = "aws:cfg/recorder:Recorder"
	typeRecorderStatus             = "aws:cfg/recorderStatus:RecorderStatus"
	typeDeliveryChannel            = "aws:cfg/deliveryChannel:DeliveryChannel"
	typeDetector                   = "aws:guardduty/detector:Detector"
	typeEventDataStore             = "aws-native:cloudtrail:EventDataStore"
	typeStackSet                   = "aws:cloudformation/stackSet:StackSet"
	typeRole                       = "aws:iam/role:Role"
	typeTopic                      = "aws:sns/topic:Topic"
	typeSubscription               = "aws:sns/topicSubscription:TopicSubscription"
	typeDataLake                   = "aws:securitylake/dataLake:DataLake"
	typeLogSource                  = "aws:securitylake/awsLogSource:AwsLogSource"
	typeLakeSubscriber             = "aws:securitylake/subscriber:Subscriber"
	typeLakeSubscriberNotification = "aws:securitylake/subscriberNotification:SubscriberNotification"
	typeAWSProvider                = "pulumi:providers:aws"
	typeNativeProvider             = "pulumi:providers:aws-native"
)

// statefulTypes hold data or identity that a replace or delete would lose:
// logs, the keys that decrypt them, the trail, recorders and their
// channels, detectors (their findings), the event data store, the StackSet,
// Security Lake's data lakes (deleting one disables Security Lake in its region).
var statefulTypes = []string{typeBucket, typeKey, typeTrail, typeRecorder, typeDeliveryChannel, typeLogGroup, typeDetector, typeEventDataStore, typeStackSet, typeDataLake}

// More type tokens of the resources the tests look at.
const (
	typeMacieAccount                               = "aws:macie2/account:Account"
	typeClassificationExportConfiguration          = "aws:macie2/classificationExportConfiguration:ClassificationExportConfiguration"
	typeAnalyzer                                   = "aws:accessanalyzer/analyzer:Analyzer"
	typeAutomationRule                             = "aws:securityhub/automationRule:AutomationRule"
	typeBucketLifecycleConfigurationV2             = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	typeBucketLoggingV2                            = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	typeBucketObjectLockConfigurationV2            = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
	typeBucketObjectv2                             = "aws:s3/bucketObjectv2:BucketObjectv2"
	typeBucketOwnershipControls                    = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	typeBucketPublicAccessBlock                    = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	typeBucketServerSideEncryptionConfigurationV2  = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	typeBucketVersioningV2                         = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	typeConfigurationAggregator                    = "aws:cfg/configurationAggregator:ConfigurationAggregator"
	typeDelegatedAdminAccount                      = "aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount"
	typeDelegatedAdministrator                     = "aws:organizations/delegatedAdministrator:DelegatedAdministrator"
	typeDetectiveMember                            = "aws:detective/member:Member"
	typeDetectiveOrganizationAdminAccount          = "aws:detective/organizationAdminAccount:OrganizationAdminAccount"
	typeDetectiveOrganizationConfiguration         = "aws:detective/organizationConfiguration:OrganizationConfiguration"
	typeInspectorEnabler                           = "aws:inspector2/enabler:Enabler"
	typeEventRule                                  = "aws:cloudwatch/eventRule:EventRule"
	typeEventTarget                                = "aws:cloudwatch/eventTarget:EventTarget"
	typeGuardDutyFilter                            = "aws:guardduty/filter:Filter"
	typeFindingAggregator                          = "aws:securityhub/findingAggregator:FindingAggregator"
	typeDetectiveGraph                             = "aws:detective/graph:Graph"
	typeGuardDutyMember                            = "aws:guardduty/member:Member"
	typeGuardDutyOrganizationAdminAccount          = "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"
	typeGuardDutyOrganizationConfiguration         = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
	typeInspectorOrganizationConfiguration         = "aws:inspector2/organizationConfiguration:OrganizationConfiguration"
	typeInviteAccepter                             = "aws:guardduty/inviteAccepter:InviteAccepter"
	typeLogMetricFilter                            = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	typeMacieMember                                = "aws:macie2/member:Member"
	typeMacieOrganizationAdminAccount              = "aws:macie2/organizationAdminAccount:OrganizationAdminAccount"
	typeMacieOrganizationConfiguration             = "aws:macie2/organizationConfiguration:OrganizationConfiguration"
	typeMetricAlarm                                = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeNativeSecurityHubConfigurationPolicy       = "aws-native:securityhub:ConfigurationPolicy"
	typeNativeSecurityHubDelegatedAdmin            = "aws-native:securityhub:DelegatedAdmin"
	typeNativeSecurityHubHub                       = "aws-native:securityhub:Hub"
	typeNativeSecurityHubOrganizationConfiguration = "aws-native:securityhub:OrganizationConfiguration"
	typeNativeSecurityHubPolicyAssociation         = "aws-native:securityhub:PolicyAssociation"
	typeOrganizationConfigurationFeature           = "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
	typeOrganizationConformancePack                = "aws:cfg/organizationConformancePack:OrganizationConformancePack"
	typeOrganizationManagedRule                    = "aws:cfg/organizationManagedRule:OrganizationManagedRule"
	typePublishingDestination                      = "aws:guardduty/publishingDestination:PublishingDestination"
	typeQueue                                      = "aws:sqs/queue:Queue"
	typeQueuePolicy                                = "aws:sqs/queuePolicy:QueuePolicy"
	typeRemediationConfiguration                   = "aws:cfg/remediationConfiguration:RemediationConfiguration"
	typeRolePolicy                                 = "aws:iam/rolePolicy:RolePolicy"
	typeRolePolicyAttachment                       = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeConfigRule                                 = "aws:cfg/rule:Rule"
	typeServiceLinkedRole                          = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
	typeSlackChannelConfiguration                  = "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration"
	typeStackSetInstance                           = "aws:cloudformation/stackSetInstance:StackSetInstance"
	typeTeamsChannelConfiguration                  = "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration"
	typeTopicPolicy                                = "aws:sns/topicPolicy:TopicPolicy"
)

// Tokens of the provider functions the stand-ins answer.
const (
	tokenGetDelegatedAdministrators              = "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators"
	tokenGetDelegatedServices                    = "aws:organizations/getDelegatedServices:getDelegatedServices"
	tokenGetOrganization                         = "aws:organizations/getOrganization:getOrganization"
	tokenGetOrganizationalUnitDescendantAccounts = "aws:organizations/getOrganizationalUnitDescendantAccounts:getOrganizationalUnitDescendantAccounts"
	tokenGetPoliciesForTarget                    = "aws:organizations/getPoliciesForTarget:getPoliciesForTarget"
	tokenGetPolicy                               = "aws:organizations/getPolicy:getPolicy"
)

// The accounts of Pulumi.prod.yaml, the example most tests plan.
const (
	prodManagementID = "111111111111"
	prodSecurityID   = "222222222222"
	prodLogArchiveID = "333333333333"
	prodWorkloadID   = "444444444444" // alias prod
	prodDevID        = "555555555555"
)
