package main_test

// Type tokens of the resources the tests look at.
const (
	typeBucket          = "aws:s3/bucketV2:BucketV2"
	typeBucketPolicy    = "aws:s3/bucketPolicy:BucketPolicy"
	typeKey             = "aws:kms/key:Key"
	typeTrail           = "aws:cloudtrail/trail:Trail"
	typeLogGroup        = "aws:cloudwatch/logGroup:LogGroup"
	typeRecorder        = "aws:cfg/recorder:Recorder"
	typeRecorderStatus  = "aws:cfg/recorderStatus:RecorderStatus"
	typeDeliveryChannel = "aws:cfg/deliveryChannel:DeliveryChannel"
	typeDetector        = "aws:guardduty/detector:Detector"
	typeEventDataStore  = "aws-native:cloudtrail:EventDataStore"
	typeStackSet        = "aws:cloudformation/stackSet:StackSet"
	typeRole            = "aws:iam/role:Role"
	typeTopic           = "aws:sns/topic:Topic"
	typeSubscription    = "aws:sns/topicSubscription:TopicSubscription"
	typeDataLake        = "aws:securitylake/dataLake:DataLake"
	typeLogSource       = "aws:securitylake/awsLogSource:AwsLogSource"
	typeLakeSubscriber  = "aws:securitylake/subscriber:Subscriber"
	typeAWSProvider     = "pulumi:providers:aws"
	typeNativeProvider  = "pulumi:providers:aws-native"
)

// statefulTypes hold data or identity that a replace or delete would lose:
// logs, the keys that decrypt them, the trail, recorders and their
// channels, detectors (their findings), the event data store, the StackSet,
// Security Lake's data lakes (deleting one disables Security Lake in its region).
var statefulTypes = []string{typeBucket, typeKey, typeTrail, typeRecorder, typeDeliveryChannel, typeLogGroup, typeDetector, typeEventDataStore, typeStackSet, typeDataLake}
