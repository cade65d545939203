package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/example/landing-zone-audit/config"
)

// Unknown stands where the plan would have to invent a value AWS assigns at
// deploy time (key IDs, detector IDs, ARN suffixes): pulumi preview shows
// those as unknown too.
const Unknown = "[known after deploy]"

// where is the account and region a resource is created in.
type where struct {
	alias, accountID, region string
}

func (w where) partition() string { return config.PartitionOf(w.region) }

// synthesize returns the physical ID and the outputs AWS would report for a
// resource, so that ARNs in the plan read like the real ones.
func synthesize(typ, name string, inputs resource.PropertyMap, w where) (string, resource.PropertyMap) {
	outs := inputs.Copy()
	str := func(k string) string {
		if v, ok := inputs[resource.PropertyKey(k)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	set := func(k, v string) { outs[resource.PropertyKey(k)] = resource.NewProperty(v) }
	physical := func(k string) string {
		if v := str(k); v != "" {
			return v
		}
		set(k, name)
		return name
	}
	arn := func(service, rest string) string {
		a := fmt.Sprintf("arn:%s:%s:%s:%s:%s", w.partition(), service, w.region, w.accountID, rest)
		set("arn", a)
		return a
	}
	p := w.partition()
	id := Unknown // a provider-assigned ID the plan cannot know
	switch typ {
	case "aws:s3/bucketV2:BucketV2":
		id = physical("bucket")
		set("arn", fmt.Sprintf("arn:%s:s3:::%s", p, id))
		set("bucketDomainName", id+".s3.amazonaws.com")
		set("bucketRegionalDomainName", fmt.Sprintf("%s.s3.%s.amazonaws.com", id, w.region))
		set("region", w.region)
	case "aws:iam/role:Role":
		id = physical("name")
		path := str("path")
		if path == "" {
			path = "/"
		}
		set("arn", fmt.Sprintf("arn:%s:iam::%s:role%s%s", p, w.accountID, path, id))
		set("uniqueId", Unknown)
	case "aws:iam/serviceLinkedRole:ServiceLinkedRole":
		service := str("awsServiceName")
		id = "AWSServiceRoleFor" + serviceLinkedSuffix(service)
		set("name", id)
		set("arn", fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/%s/%s", p, w.accountID, service, id))
	case "aws:cloudwatch/logGroup:LogGroup":
		id = physical("name")
		arn("logs", "log-group:"+id)
	case "aws:cloudtrail/trail:Trail":
		id = physical("name")
		id = arn("cloudtrail", "trail/"+id)
		set("homeRegion", w.region)
	case "aws:cloudtrail/eventDataStore:EventDataStore":
		physical("name")
		id = arn("cloudtrail", "eventdatastore/"+Unknown)
	case "aws:kms/key:Key":
		id = Unknown
		set("keyId", id)
		arn("kms", "key/"+id)
	case "aws:kms/alias:Alias":
		id = physical("name")
		arn("kms", id)
		set("targetKeyArn", str("targetKeyId"))
	case "aws:sns/topic:Topic":
		id = arn("sns", physical("name"))
	case "aws:sns/topicSubscription:TopicSubscription":
		id = str("topic") + ":" + Unknown
		set("arn", id)
	case "aws:sqs/queue:Queue":
		q := physical("name")
		arn("sqs", q)
		id = fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", w.region, w.accountID, q)
		set("url", id)
	case "aws:cloudwatch/eventRule:EventRule":
		id = physical("name")
		arn("events", "rule/"+id)
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		id = physical("name")
		arn("cloudwatch", "alarm:"+id)
	case "aws:cloudwatch/logMetricFilter:LogMetricFilter":
		id = physical("name")
	case "aws:guardduty/detector:Detector":
		id = Unknown
		arn("guardduty", "detector/"+id)
		set("accountId", w.accountID)
	case "aws:cfg/recorder:Recorder", "aws:cfg/deliveryChannel:DeliveryChannel":
		id = physical("name")
	case "aws:cfg/configurationAggregator:ConfigurationAggregator":
		id = physical("name")
		arn("config", "config-aggregator/config-aggregator-"+Unknown)
	case "aws:cfg/organizationManagedRule:OrganizationManagedRule":
		id = physical("name")
		arn("config", "organization-config-rule/"+id+"-"+Unknown)
	case "aws:cfg/organizationConformancePack:OrganizationConformancePack":
		id = physical("name")
		arn("config", "organization-conformance-pack/"+id+"-"+Unknown)
	case "aws:detective/graph:Graph":
		id = arn("detective", "graph:"+Unknown)
		set("graphArn", id)
	case "aws:accessanalyzer/analyzer:Analyzer":
		id = str("analyzerName")
		arn("access-analyzer", "analyzer/"+id)
	case "aws-native:cloudtrail:EventDataStore":
		physical("name")
		id = arn("cloudtrail", "eventdatastore/"+Unknown)
		set("eventDataStoreArn", id)
	case "aws-native:securityhub:Hub":
		id = arn("securityhub", "hub/default")
	case "aws-native:securityhub:ConfigurationPolicy":
		physical("name")
		id = Unknown
		set("awsId", id)
		arn("securityhub", "configuration-policy/"+id)
	case "aws-native:securityhub:FindingAggregator":
		id = arn("securityhub", "finding-aggregator/"+Unknown)
		set("findingAggregatorArn", id)
		set("findingAggregationRegion", w.region)
	case "aws:cloudformation/stackSet:StackSet":
		id = physical("name")
		arn("cloudformation", "stackset/"+id+":"+Unknown)
		set("stackSetId", id+":"+Unknown)
	}
	return id, outs
}

// serviceLinkedSuffix names a service-linked role the way IAM does for the
// services this program uses.
func serviceLinkedSuffix(service string) string {
	switch service {
	case "config.amazonaws.com":
		return "Config"
	default:
		name, _, _ := strings.Cut(service, ".")
		return strings.ToUpper(name[:1]) + name[1:]
	}
}

// ReadAtDeploy names a value the program reads from AWS at deploy time,
// which the offline plan cannot know.
func ReadAtDeploy(what string) string { return "[" + what + ", read at deploy]" }

// organization is what the plan answers for AWS Organizations: the stack's
// accounts, and a name for each set of accounts only AWS knows.
type organization struct {
	// listed are the account IDs the stack file lists.
	listed []string
	// unlisted names the organization's other accounts.
	unlisted string
	// inOUs are the listed accounts the plan takes the StackSet's OUs to
	// hold: the listed members. A member is listed for routing (owners) and
	// gets its recorder from the StackSet; where it really sits is read at
	// deploy, so a listed member outside the OUs is among those unlisted
	// names (outside the OUs) rather than shown by ID.
	inOUs []string
}

func organizationOf(cfg *config.Config) organization {
	org := organization{unlisted: ReadAtDeploy("organization accounts not in the stack")}
	for _, acct := range cfg.Accounts {
		org.listed = append(org.listed, acct.ID)
	}
	slices.Sort(org.listed)
	if cfg.MemberBaseline == config.BaselineStackSet {
		org.unlisted = ReadAtDeploy("organization accounts outside " + strings.Join(cfg.StackSet.OrganizationalUnitIDs, ", "))
		org.inOUs = slices.DeleteFunc(slices.Clone(org.listed), func(id string) bool {
			return slices.Contains(cfg.AccountIDsOf(config.CoreAliases), id)
		})
	}
	return org
}

func invoke(token string, args resource.PropertyMap, w where, org organization) (resource.PropertyMap, error) {
	switch token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": w.accountID,
			"arn":       fmt.Sprintf("arn:%s:sts::%s:assumed-role/plan/%s", w.partition(), w.accountID, config.Product),
			"userId":    "AROAPLAN:" + config.Product,
			"id":        w.accountID,
		}), nil
	case "aws:index/getPartition:getPartition":
		suffix := "amazonaws.com"
		if w.partition() == "aws-cn" {
			suffix = "amazonaws.com.cn"
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"partition": w.partition(), "dnsSuffix": suffix, "id": w.partition(),
		}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{"name": w.region, "id": w.region}), nil
	case "aws:organizations/getOrganization:getOrganization":
		// The organization's root and its other accounts are read at deploy
		// time; the plan names them instead of inventing IDs.
		accounts := []any{map[string]any{"id": org.unlisted, "status": "ACTIVE"}}
		for _, id := range org.listed {
			accounts = append(accounts, map[string]any{"id": id, "status": "ACTIVE"})
		}
		// The policy types the guardrails need are assumed enabled: the
		// plan's prerequisites say how to enable them.
		return resource.NewPropertyMapFromMap(map[string]any{
			"accounts": accounts, "roots": []any{map[string]any{"id": ReadAtDeploy("organization root")}}, "id": "organization",
			"enabledPolicyTypes": []any{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"},
		}), nil
	case "aws:organizations/getPoliciesForTarget:getPoliciesForTarget":
		// Offline, each target holds only the policy AWS attaches to every
		// root, OU and account of a type (FullAWSAccess, RCPFullAWSAccess);
		// the deploy counts the real ones.
		return resource.NewPropertyMapFromMap(map[string]any{
			"ids": []any{"p-FullAWSAccess"}, "id": args["targetId"].StringValue(),
			"filter": args["filter"].StringValue(), "targetId": args["targetId"].StringValue(),
		}), nil
	case "aws:organizations/getPolicy:getPolicy":
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": args["policyId"].StringValue(), "policyId": args["policyId"].StringValue(), "name": "FullAWSAccess", "awsManaged": true,
		}), nil
	case "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators":
		// Offline, no account is registered yet: the plan creates each registration.
		return resource.NewPropertyMapFromMap(map[string]any{"delegatedAdministrators": []any{}, "id": "delegated-administrators"}), nil
	case "aws:organizations/getDelegatedServices:getDelegatedServices":
		// Only Security Lake asks, for the account it is designated to by
		// hand before the first up (the plan's prerequisites say how);
		// offline, the plan assumes that step is done.
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": args["accountId"].StringValue(), "id": args["accountId"].StringValue(),
			"delegatedServices": []any{map[string]any{"servicePrincipal": "securitylake.amazonaws.com"}},
		}), nil
	case "aws:organizations/getOrganizationalUnitDescendantAccounts:getOrganizationalUnitDescendantAccounts":
		accounts := []any{map[string]any{"id": ReadAtDeploy("accounts of " + args["parentId"].StringValue())}}
		for _, id := range org.inOUs {
			accounts = append(accounts, map[string]any{"id": id, "status": "ACTIVE"})
		}
		return resource.NewPropertyMapFromMap(map[string]any{"accounts": accounts, "id": "descendants"}), nil
	}
	return nil, fmt.Errorf("the offline plan has no answer for %s; add one to plan/mocks.go", token)
}
