package components

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securitylake"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// SecurityLakeType is the type token of SecurityLake.
const SecurityLakeType = "landingzone:audit:SecurityLake"

// SecurityLakeSources are the AWS log sources Security Lake collects
// natively (API_AwsLogSourceResource).
var SecurityLakeSources = []string{"CLOUD_TRAIL_MGMT", "VPC_FLOW", "ROUTE53", "SH_FINDINGS", "LAMBDA_EXECUTION", "S3_DATA", "EKS_AUDIT", "WAF"}

// SecurityLakeSourceVersion is the source version the stack asks for;
// version 2.0 needs the MetaStoreManagerV2 role.
const SecurityLakeSourceVersion = "2.0"

// SecurityLakeAccessTypes are how a subscriber reads the lake
// (API_CreateSubscriber accessTypes): the S3 objects, through a role
// Security Lake creates, or Lake Formation tables shared through AWS RAM for
// queries.
var SecurityLakeAccessTypes = []string{"S3", "LAKEFORMATION"}

// SecurityLakeStorageClasses are the S3 storage classes a lifecycle rule
// can move objects to, in the only order S3 moves them down (S3 user guide,
// "Transitioning objects using Amazon S3 Lifecycle"): STANDARD_IA and
// ONEZONE_IA only after 30 days in Standard, and from them only 30 days later.
var SecurityLakeStorageClasses = []string{"STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"}

// securityLakeService is Security Lake's service principal in AWS Organizations.
const securityLakeService = "securitylake.amazonaws.com"

// SecurityLakeTransition moves the lake's objects to StorageClass after Days.
type SecurityLakeTransition struct {
	Days         int
	StorageClass string
}

// SecurityLakeSubscriber is an account that reads some of the lake's sources.
type SecurityLakeSubscriber struct {
	Name, AccountID, ExternalID, AccessType string
	Sources                                 []string
	// SQSNotification tells an S3 subscriber of new objects through a
	// queue Security Lake creates.
	SQSNotification bool
}

// SecurityLakeArgs configures Amazon Security Lake for the organization.
type SecurityLakeArgs struct {
	AccountRegions // the lake account
	// ManagementProvider reads, from the management account, that AccountID
	// is Security Lake's delegated administrator.
	ManagementProvider pulumi.ProviderResource
	HomeRegion         string
	// RollupRegion, when set, receives a copy of every other region's data.
	RollupRegion string
	Prefix       string
	// EnablerRoleArn is the role the providers act as in AccountID: Security
	// Lake creates its grants on each key as the principal that enables it.
	EnablerRoleArn string
	Sources        []string
	ExpirationDays int
	Transitions    []SecurityLakeTransition
	Subscribers    []SecurityLakeSubscriber
}

func (a *SecurityLakeArgs) check(e *argErrors) {
	e.requireProvider("ManagementProvider", a.ManagementProvider)
	a.AccountRegions.check(e, "")
	if !slices.Contains(a.Regions, a.HomeRegion) {
		e.add("HomeRegion", "%q is not one of Regions", a.HomeRegion)
	}
	if a.RollupRegion != "" && !slices.Contains(a.Regions, a.RollupRegion) {
		e.add("RollupRegion", "%q is not one of Regions", a.RollupRegion)
	}
	e.require("Prefix", a.Prefix)
	e.require("EnablerRoleArn", a.EnablerRoleArn)
	if len(a.Sources) == 0 {
		e.add("Sources", "required: at least one source")
	}
	for i, s := range a.Subscribers {
		e.require(fmt.Sprintf("Subscribers[%d].Name", i), s.Name)
		e.require(fmt.Sprintf("Subscribers[%d].AccountID", i), s.AccountID)
		e.require(fmt.Sprintf("Subscribers[%d].ExternalID", i), s.ExternalID)
		e.require(fmt.Sprintf("Subscribers[%d].AccessType", i), s.AccessType)
	}
}

// SecurityLake is the organization's Security Lake in the delegated
// administrator's account: a data lake in every governed region, each
// encrypted with its own key, the sources collected from every account of
// the organization, and the subscribers.
type SecurityLake struct {
	pulumi.ResourceState
	// DataLakeArns are the data lakes, by region.
	DataLakeArns pulumi.StringMapOutput
	// OrganizationConfigurationCommand is what the administrator runs once
	// so that accounts joining later are collected too: no provider has a
	// resource for CreateDataLakeOrganizationConfiguration.
	OrganizationConfigurationCommand string
}

// NewSecurityLake checks that AccountID is Security Lake's delegated
// administrator, then creates the metastore role, a key and a data lake per
// region (the rollup region first), the sources after every data lake, and
// the subscribers after the sources.
func NewSecurityLake(ctx *pulumi.Context, name string, args *SecurityLakeArgs, opts ...pulumi.ResourceOption) (_ *SecurityLake, err error) {
	if args == nil {
		return nil, errNilArgs("SecurityLake")
	}
	defer wrapChildError(&err, "SecurityLake", name)
	e := &argErrors{component: "SecurityLake"}
	args.check(e)
	if err := e.err(); err != nil {
		return nil, err
	}
	if err := CheckSecurityLakeAdministrator(ctx, args.ManagementProvider, args.AccountID, args.HomeRegion); err != nil {
		return nil, err
	}
	c := &SecurityLake{}
	if err := ctx.RegisterComponentResource(SecurityLakeType, name, c, opts...); err != nil {
		return nil, err
	}
	lakes, created, err := securityLakeDataLakes(ctx, c, name, args)
	if err != nil {
		return nil, err
	}
	if err := securityLakeFeeds(ctx, c, name, args, created); err != nil {
		return nil, err
	}
	c.DataLakeArns = lakes.ToStringMapOutput()
	c.OrganizationConfigurationCommand = SecurityLakeOrganizationConfigurationCommand(args.Regions, args.Sources, args.HomeRegion)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"dataLakeArns": c.DataLakeArns})
}

// securityLakeDataLakes creates each region's key, the metastore role, the
// replication role when there is a rollup region, and each region's data
// lake; it returns the lakes' ARNs by region and the lakes.
func securityLakeDataLakes(ctx *pulumi.Context, c *SecurityLake, name string, args *SecurityLakeArgs) (pulumi.StringMap, []pulumi.Resource, error) {
	home := children(c, args.Providers[args.HomeRegion])
	keyArns, keyIDs := pulumi.StringMap{}, map[string]pulumi.StringOutput{}
	for _, region := range args.Regions {
		key, err := newKey(ctx, fmt.Sprintf("%s-%s-key", name, region), KeyArgs{
			Description: "Encrypts Amazon Security Lake's data in " + region,
			Alias:       Names{args.Prefix}.SecurityLakeKeyAlias(),
			Partition:   args.Partition,
			AccountID:   args.AccountID,
			Statements:  securityLakeKeyStatements(args.Partition, args.AccountID, region, args.EnablerRoleArn),
		}, children(c, args.Providers[region])...)
		if err != nil {
			return nil, nil, fmt.Errorf("creating Security Lake's key in %s: %w", region, err)
		}
		keyArns[region], keyIDs[region] = key.Arn, key.KeyId
	}
	keys := keyArns.ToStringMapOutput()
	// The data lakes use each role once its policies are in place.
	metastore, metastoreReady, err := securityLakeMetastoreRole(ctx, name, args, keys, home)
	if err != nil {
		return nil, nil, fmt.Errorf("creating Security Lake's metastore role: %w", err)
	}
	var replication pulumi.StringOutput
	var replicationReady []pulumi.Resource
	if args.RollupRegion != "" {
		if replication, replicationReady, err = securityLakeReplicationRole(ctx, name, args, keys, home); err != nil {
			return nil, nil, fmt.Errorf("creating Security Lake's replication role: %w", err)
		}
	}
	lifecycle := securityLakeLifecycle(args)
	// One region at a time, the rollup region first: a contributing region
	// replicates into a data lake that exists.
	lakes := pulumi.StringMap{}
	var created []pulumi.Resource
	for _, region := range securityLakeOrder(args.Regions, args.RollupRegion) {
		deps := append(slices.Clone(created), metastoreReady...)
		conf := &securitylake.DataLakeConfigurationArgs{
			Region: pulumi.String(region),
			EncryptionConfigurations: securitylake.DataLakeConfigurationEncryptionConfigurationArray{
				// The key ID, as the provider's own tests pass it.
				&securitylake.DataLakeConfigurationEncryptionConfigurationArgs{KmsKeyId: keyIDs[region]},
			},
			LifecycleConfiguration: lifecycle,
		}
		if args.RollupRegion != "" && region != args.RollupRegion {
			conf.ReplicationConfiguration = &securitylake.DataLakeConfigurationReplicationConfigurationArgs{
				Regions: pulumi.ToStringArray([]string{args.RollupRegion}),
				RoleArn: replication,
			}
			deps = append(deps, replicationReady...)
		}
		// CreateDataLake refuses a region that has a lake: a replacement
		// must delete the old one first.
		lake, err := securitylake.NewDataLake(ctx, fmt.Sprintf("%s-%s", name, region), &securitylake.DataLakeArgs{
			MetaStoreManagerRoleArn: metastore,
			Configuration:           conf,
		}, children(c, args.Providers[region], pulumi.DependsOn(deps), pulumi.DeleteBeforeReplace(true))...)
		if err != nil {
			return nil, nil, fmt.Errorf("creating the data lake in %s: %w", region, err)
		}
		lakes[region] = lake.Arn
		created = append(created, lake)
	}
	return lakes, created, nil
}

// securityLakeFeeds adds the sources once every data lake exists, then the
// subscribers once every source does.
func securityLakeFeeds(ctx *pulumi.Context, c *SecurityLake, name string, args *SecurityLakeArgs, lakes []pulumi.Resource) error {
	home := children(c, args.Providers[args.HomeRegion])
	var sources []pulumi.Resource
	regions := slices.Sorted(slices.Values(args.Regions))
	for _, source := range args.Sources {
		// No accounts: the source covers every account of the organization
		// (API_CreateAwsLogSource). A change of regions replaces the
		// resource, whose ID is the source name: the old one must go first,
		// or its delete would take the source out of every region the new
		// one was just added to.
		s, err := securitylake.NewAwsLogSource(ctx, fmt.Sprintf("%s-%s", name, sourceSlug(source)), &securitylake.AwsLogSourceArgs{
			Source: &securitylake.AwsLogSourceSourceArgs{
				SourceName:    pulumi.String(source),
				SourceVersion: pulumi.String(SecurityLakeSourceVersion),
				Regions:       pulumi.ToStringArray(regions),
			},
		}, append(home, pulumi.DependsOn(lakes), pulumi.DeleteBeforeReplace(true))...)
		if err != nil {
			return fmt.Errorf("adding the %s source: %w", source, err)
		}
		sources = append(sources, s)
	}
	subscriberRegion := args.HomeRegion
	if args.RollupRegion != "" {
		subscriberRegion = args.RollupRegion // where every region's data is
	}
	for _, sub := range args.Subscribers {
		// The provider takes one source per subscriber.
		for _, source := range sub.Sources {
			subscriber, err := securitylake.NewSubscriber(ctx, fmt.Sprintf("%s-subscriber-%s-%s", name, sub.Name, sourceSlug(source)), &securitylake.SubscriberArgs{
				SubscriberName:        pulumi.String(Names{args.Prefix}.SecurityLakeSubscriber(sub.Name, source)),
				SubscriberDescription: pulumi.String(fmt.Sprintf("%s reads %s from account %s", sub.Name, source, sub.AccountID)),
				AccessType:            pulumi.String(sub.AccessType),
				SubscriberIdentity: &securitylake.SubscriberSubscriberIdentityArgs{
					Principal:  pulumi.String(sub.AccountID),
					ExternalId: pulumi.String(sub.ExternalID),
				},
				Source: &securitylake.SubscriberSourceArgs{
					AwsLogSourceResource: &securitylake.SubscriberSourceAwsLogSourceResourceArgs{
						SourceName:    pulumi.String(source),
						SourceVersion: pulumi.String(SecurityLakeSourceVersion),
					},
				},
			}, children(c, args.Providers[subscriberRegion], pulumi.DependsOn(sources))...)
			if err != nil {
				return fmt.Errorf("creating subscriber %s for %s: %w", sub.Name, source, err)
			}
			if !sub.SQSNotification {
				continue
			}
			// Security Lake creates a queue in the lake account that the
			// subscriber polls for new objects (API_CreateSubscriberNotification).
			if _, err := securitylake.NewSubscriberNotification(ctx, fmt.Sprintf("%s-subscriber-%s-%s-notification", name, sub.Name, sourceSlug(source)), &securitylake.SubscriberNotificationArgs{
				SubscriberId: subscriber.ID(),
				Configuration: &securitylake.SubscriberNotificationConfigurationArgs{
					SqsNotificationConfiguration: &securitylake.SubscriberNotificationConfigurationSqsNotificationConfigurationArgs{},
				},
			}, children(c, args.Providers[subscriberRegion])...); err != nil {
				return fmt.Errorf("creating the notification of subscriber %s for %s: %w", sub.Name, source, err)
			}
		}
	}
	return nil
}

// CheckSecurityLakeAdministrator returns an error with the command that
// fixes it unless accountID is Security Lake's delegated administrator, as
// the management account's provider reads it. Security Lake designates it
// only through its own API (user guide, "Managing multiple accounts with
// AWS Organizations": designating it through Organizations isn't
// supported), for which no provider has a resource; a data lake created in
// any other account would collect that account alone. The program runs it
// before it creates anything; NewSecurityLake runs it too.
func CheckSecurityLakeAdministrator(ctx *pulumi.Context, management pulumi.ProviderResource, accountID, homeRegion string) error {
	fix := fmt.Sprintf("designate it once from the management account: aws securitylake register-data-lake-delegated-administrator --account-id %s --region %s", accountID, homeRegion)
	services, err := organizations.GetDelegatedServices(ctx, &organizations.GetDelegatedServicesArgs{AccountId: accountID}, pulumi.Provider(management))
	if err != nil {
		// AccountNotRegisteredException: the account administers no service.
		return fmt.Errorf("reading the services account %s administers: %w; if it is not registered, %s", accountID, err, fix)
	}
	for _, s := range services.DelegatedServices {
		if s.ServicePrincipal == securityLakeService {
			return nil
		}
	}
	return fmt.Errorf("account %s is not Security Lake's delegated administrator, which holds the organization's data lake: %s", accountID, fix)
}

// SecurityLakeOrganizationConfigurationCommand is the command that makes
// Security Lake collect the sources from accounts that join the
// organization later (API_CreateDataLakeOrganizationConfiguration), run
// once by the delegated administrator.
func SecurityLakeOrganizationConfigurationCommand(regions, sources []string, homeRegion string) string {
	type source struct {
		SourceName    string `json:"sourceName"`
		SourceVersion string `json:"sourceVersion"`
	}
	type regionSources struct {
		Region  string   `json:"region"`
		Sources []source `json:"sources"`
	}
	var list []source
	for _, s := range sources {
		list = append(list, source{s, SecurityLakeSourceVersion})
	}
	var autoEnable []regionSources
	for _, r := range slices.Sorted(slices.Values(regions)) {
		autoEnable = append(autoEnable, regionSources{r, list})
	}
	b := jsondoc.MustMarshal(autoEnable) // plain strings only
	return fmt.Sprintf("aws securitylake create-data-lake-organization-configuration --region %s --auto-enable-new-account '%s'", homeRegion, b)
}

// sourceSlug is a source as it appears in names: route53, cloud-trail-mgmt.
func sourceSlug(source string) string { return strings.ReplaceAll(strings.ToLower(source), "_", "-") }

// securityLakeOrder is the order the data lakes are created in: the rollup
// region, then the others as given.
func securityLakeOrder(regions []string, rollup string) []string {
	if rollup == "" {
		return regions
	}
	order := []string{rollup}
	for _, r := range regions {
		if r != rollup {
			order = append(order, r)
		}
	}
	return order
}

func securityLakeLifecycle(args *SecurityLakeArgs) *securitylake.DataLakeConfigurationLifecycleConfigurationArgs {
	var transitions securitylake.DataLakeConfigurationLifecycleConfigurationTransitionArray
	for _, t := range args.Transitions {
		transitions = append(transitions, &securitylake.DataLakeConfigurationLifecycleConfigurationTransitionArgs{
			Days: pulumi.Int(t.Days), StorageClass: pulumi.String(t.StorageClass),
		})
	}
	return &securitylake.DataLakeConfigurationLifecycleConfigurationArgs{
		Expiration:  &securitylake.DataLakeConfigurationLifecycleConfigurationExpirationArgs{Days: pulumi.Int(args.ExpirationDays)},
		Transitions: transitions,
	}
}

// securityLakeKeyStatements are what the Security Lake user guide has a
// customer managed key allow. "Data protection in Amazon Security Lake":
// the principal that enables Security Lake creates grants and data keys
// (Security Lake itself needs no Decrypt), and the role Lake Formation
// reads the lake's location with decrypts, through S3 in this region only,
// so that queries work. "Service-linked role permissions for resource
// management": with a customer managed key, the resource-management
// service-linked role, which compacts and rewrites the lake's objects and
// whose managed policy has no KMS actions, must be allowed to decrypt and
// encrypt through S3. Both are service-linked roles that may not exist
// yet: KMS refuses a missing principal, so each is named in a condition.
func securityLakeKeyStatements(partition, accountID, region, enablerRoleArn string) []Statement {
	viaS3 := func(role string) Conditions {
		return Conditions{
			"ArnEquals":    {"aws:PrincipalArn": role},
			"StringEquals": {"kms:CallerAccount": accountID, "kms:ViaService": regionalServicePrincipal("s3", region, partition)},
		}
	}
	return []Statement{
		allow("SecurityLakeEnablerUsesKey", Principals{AWS: []string{enablerRoleArn}},
			[]string{"kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKey"}, []string{"*"}, nil),
		allow("LakeFormationDecryptsForQueries", Principals{AWS: []string{"*"}}, []string{"kms:Decrypt"}, []string{"*"},
			viaS3(serviceLinkedRoleArn(partition, accountID, "lakeformation.amazonaws.com", "AWSServiceRoleForLakeFormationDataAccess"))),
		allow("ResourceManagementUsesKey", Principals{AWS: []string{"*"}}, []string{"kms:Decrypt", "kms:GenerateDataKey"}, []string{"*"},
			viaS3(serviceLinkedRoleArn(partition, accountID, securityLakeResourceManagementService, SecurityLakeResourceManagementRole))),
	}
}

// SecurityLakeResourceManagementRole is the service-linked role Security
// Lake manages the lake's resources with, and
// securityLakeResourceManagementService the principal it belongs to
// ("Service-linked role permissions for resource management").
const (
	SecurityLakeResourceManagementRole    = "AWSServiceRoleForSecurityLakeResourceManagement"
	securityLakeResourceManagementService = "resource-management.securitylake.amazonaws.com"
)

// serviceLinkedRoleArn is the ARN IAM gives a service's service-linked
// role: under /aws-service-role/<service principal>/.
func serviceLinkedRoleArn(partition, accountID, service, name string) string {
	return arn(partition, "iam", "", accountID, "role/aws-service-role/"+service+"/"+name)
}

// securityLakeMetastoreRole is the role Security Lake's Lambda function
// assumes to keep the Glue tables' partitions current, with the name, path,
// trust and AWS managed policy the user guide gives it
// ("AmazonSecurityLakeMetaStoreManagerV2" under /service-role/). The name
// is fixed, so there is one per account.
func securityLakeMetastoreRole(ctx *pulumi.Context, name string, args *SecurityLakeArgs, keys pulumi.StringMapOutput, opts []pulumi.ResourceOption) (pulumi.StringOutput, []pulumi.Resource, error) {
	role, err := securityLakeServiceRole(ctx, name+"-metastore-role", SecurityLakeMetastoreRole, "lambda.amazonaws.com", opts)
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, name+"-metastore-role-policy", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(fmt.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonSecurityLakeMetastoreManager", args.Partition)),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	// The managed policy grants no KMS actions, and the function reads and
	// writes the lake's objects, which the keys encrypt.
	keyUse, err := iam.NewRolePolicy(ctx, name+"-metastore-role-keys", &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: keys.ApplyT(func(keys map[string]string) string {
			return securityLakeKeyUsePolicy(args.Partition, args.Regions, keys).JSON()
		}).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	return role.Arn, []pulumi.Resource{role, attach, keyUse}, nil
}

// securityLakeKeyUsePolicy lets the metastore function decrypt and encrypt
// with each region's key, through S3, for that region's lake bucket only.
func securityLakeKeyUsePolicy(partition string, regions []string, keys map[string]string) PolicyDocument {
	var statements []Statement
	for _, r := range regions {
		statements = append(statements, allow("UseKeyIn"+regionSid(r), nil,
			[]string{"kms:Decrypt", "kms:GenerateDataKey"}, []string{keys[r]}, viaS3ForLake(partition, r)))
	}
	return policy(statements...)
}

// regionSid is a region as a statement ID may hold it: eucentral1.
func regionSid(region string) string { return strings.ReplaceAll(region, "-", "") }

// viaS3ForLake limits a key's use to S3 in region, for Security Lake's
// bucket there (aws-security-data-lake-<region>-…).
func viaS3ForLake(partition, region string) Conditions {
	return Conditions{
		"StringEquals": {"kms:ViaService": regionalServicePrincipal("s3", region, partition)},
		"StringLike":   {"kms:EncryptionContext:aws:s3:arn": bucketArn(partition, "aws-security-data-lake-"+region) + "*"},
	}
}

// securityLakeServiceRole is a role under /service-role/ with the name
// Security Lake documents, which the service assumes.
func securityLakeServiceRole(ctx *pulumi.Context, name, roleName, servicePrincipal string, opts []pulumi.ResourceOption) (*iam.Role, error) {
	trust := policy(allow("ServiceAssumesRole", service(servicePrincipal), []string{"sts:AssumeRole"}, nil, nil))
	return iam.NewRole(ctx, name, &iam.RoleArgs{
		Name:             pulumi.String(roleName),
		Path:             pulumi.String("/service-role/"),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, opts...)
}

// SecurityLakeMetastoreRole is the metastore role's name Security Lake
// documents.
const SecurityLakeMetastoreRole = "AmazonSecurityLakeMetaStoreManagerV2"

// SecurityLakeReplicationRole is the replication role's name in Security
// Lake's rollup-region example.
const SecurityLakeReplicationRole = "AmazonSecurityLakeS3ReplicationRole"

// securityLakeReplicationRole is the role S3 assumes to copy the
// contributing regions' objects into the rollup region, with the trust and
// permissions of the Security Lake user guide ("Adding a rollup Region"):
// read from the contributing regions' lake buckets, replicate into the
// rollup region's, each only in the lake account, and the keys' use
// through S3 for those buckets.
func securityLakeReplicationRole(ctx *pulumi.Context, name string, args *SecurityLakeArgs, keys pulumi.StringMapOutput, opts []pulumi.ResourceOption) (pulumi.StringOutput, []pulumi.Resource, error) {
	role, err := securityLakeServiceRole(ctx, name+"-replication-role", SecurityLakeReplicationRole, "s3.amazonaws.com", opts)
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	var contributing []string
	for _, r := range args.Regions {
		if r != args.RollupRegion {
			contributing = append(contributing, r)
		}
	}
	permissions, err := iam.NewRolePolicy(ctx, name+"-replication-role-policy", &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: keys.ApplyT(func(keys map[string]string) string {
			return securityLakeReplicationPolicy(args.Partition, args.AccountID, contributing, args.RollupRegion, keys).JSON()
		}).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	return role.Arn, []pulumi.Resource{role, permissions}, nil
}

// securityLakeReplicationPolicy is the replication role's permissions:
// Security Lake names each region's bucket aws-security-data-lake-<region>-….
func securityLakeReplicationPolicy(partition, accountID string, contributing []string, rollup string, keys map[string]string) PolicyDocument {
	lakeBuckets := func(regions []string, objects bool) []string {
		var out []string
		for _, r := range regions {
			b := bucketArn(partition, "aws-security-data-lake-"+r) + "*"
			out = append(out, b+"/*")
			if !objects {
				out = append(out, b)
			}
		}
		return out
	}
	inAccount := Conditions{"StringEquals": {"s3:ResourceAccount": accountID}}
	statements := []Statement{
		allow("ReadContributingRegions", nil, []string{
			"s3:ListBucket", "s3:GetReplicationConfiguration", "s3:GetObjectVersionForReplication", "s3:GetObjectVersion",
			"s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold",
		}, lakeBuckets(contributing, false), inAccount),
		allow("ReplicateIntoRollupRegion", nil, []string{
			"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:GetObjectVersionTagging",
		}, lakeBuckets([]string{rollup}, true), inAccount),
	}
	for _, r := range contributing {
		statements = append(statements, allow("DecryptIn"+regionSid(r), nil, []string{"kms:Decrypt"}, []string{keys[r]}, viaS3ForLake(partition, r)))
	}
	statements = append(statements,
		allow("EncryptInRollupRegion", nil, []string{"kms:Encrypt"}, []string{keys[rollup]}, viaS3ForLake(partition, rollup)),
		// S3 user guide, "Replicating encrypted objects", "Amazon S3 Bucket
		// Keys and replication": where replicas use an S3 Bucket Key, the
		// replicating principal needs kms:Decrypt on the replicas' key, which
		// S3 calls to verify the Bucket Key; the encryption context is then
		// the bucket's ARN, which viaS3ForLake's prefix matches.
		allow("DecryptInRollupRegion", nil, []string{"kms:Decrypt"}, []string{keys[rollup]}, viaS3ForLake(partition, rollup)))
	return policy(statements...)
}
