package config

import "github.com/example/landing-zone-audit/components"

// OrgTrail configures the organization trail and its central log bucket (key orgTrail).
type OrgTrail struct {
	// Enabled creates the organization trail and its bucket; off where
	// another trail (Control Tower's, an older tool's) already logs the
	// organization.
	Enabled               bool       `json:"enabled"`
	TrailName             string     `json:"trailName"`
	BucketAccount         string     `json:"bucketAccount"`
	BucketName            string     `json:"bucketName"`
	LogGroupName          string     `json:"logGroupName"`
	LogRetentionDays      int        `json:"logRetentionDays"`
	LogDeletionDays       int        `json:"logDeletionDays"`
	GlacierTransitionDays int        `json:"glacierTransitionDays"`
	KMSEncryption         bool       `json:"kmsEncryption"`
	LogGroupKMSEncryption bool       `json:"logGroupKmsEncryption"`
	AccessLogging         bool       `json:"accessLogging"`
	ObjectLock            ObjectLock `json:"objectLock"`
	DataEvents            DataEvents `json:"dataEvents"`
	Insights              bool       `json:"insights"`
}

// ObjectLock configures S3 Object Lock on a log bucket; an empty Mode leaves it off.
type ObjectLock struct {
	Mode components.ObjectLockMode `json:"mode"`
	Days int                       `json:"days"`
}

// DataEvents selects CloudTrail data events beyond management events.
type DataEvents struct {
	S3     bool `json:"s3"`
	Lambda bool `json:"lambda"`
}

func defaultOrgTrail() OrgTrail {
	return OrgTrail{
		Enabled:          true,
		BucketAccount:    LogArchive,
		LogGroupName:     "OrgTrail/org-audit-log",
		LogRetentionDays: 365,
		LogDeletionDays:  365,
		KMSEncryption:    true,
		AccessLogging:    true,
	}
}

// Alarms configures the elevated-role alarm, the CIS alarm set and the
// supplementary detections (key alarms).
type Alarms struct {
	// LogGroupName is the existing log group the alarms read when the
	// stack deploys no trail of its own.
	LogGroupName         string         `json:"logGroupName"`
	MetricNamespace      string         `json:"metricNamespace"`
	ElevatedRoleMetric   string         `json:"elevatedRoleMetric"`
	ElevatedRoles        []ElevatedRole `json:"elevatedRoles"`
	PeriodSeconds        int            `json:"periodSeconds"`
	CISEnabled           bool           `json:"cisEnabled"`
	CISDisabledControls  []string       `json:"cisDisabledControls"`
	TopicName            string         `json:"topicName"`
	ElevatedRoleDisabled bool           `json:"elevatedRoleDisabled"`
	// Supplementary switches the detections beyond the CIS set.
	Supplementary SupplementaryAlarms `json:"supplementary"`
}

// ElevatedRole names a role whose use raises an alarm, and the accounts
// (aliases) it lives in; no accounts means every account in the organization.
type ElevatedRole struct {
	RoleName string   `json:"roleName"`
	Accounts []string `json:"accounts"`
}

func defaultAlarms() Alarms {
	return Alarms{
		MetricNamespace: "OrgTrailMetrics",
		ElevatedRoles:   []ElevatedRole{{RoleName: "elevated-security-role"}},
		PeriodSeconds:   60,
		CISEnabled:      true,
		Supplementary:   SupplementaryAlarms{Enabled: true},
	}
}

// AWSConfig configures AWS Config across the organization (key awsConfig).
type AWSConfig struct {
	Enabled                    bool                    `json:"enabled"`
	BucketName                 string                  `json:"bucketName"`
	LogDeletionDays            int                     `json:"logDeletionDays"`
	KMSEncryption              bool                    `json:"kmsEncryption"`
	SnapshotFrequency          string                  `json:"snapshotFrequency"`
	RecorderRole               components.RecorderRole `json:"recorderRole"`
	ExistingServiceLinkedRoles []string                `json:"existingServiceLinkedRoles"`
	Rules                      []ManagedRule           `json:"rules"`
	ConformancePack            ConformancePack         `json:"conformancePack"`
	AggregateAllRegions        bool                    `json:"aggregateAllRegions"`
	AccessLogging              bool                    `json:"accessLogging"`
	Recording                  Recording               `json:"recording"`
	// ConformancePacks, when listed, replace ConformancePack.
	ConformancePacks []PackSpec  `json:"conformancePacks"`
	Remediation      Remediation `json:"remediation"`
}

// ManagedRule is an organization Config rule built from an AWS managed rule.
type ManagedRule struct {
	Identifier       string            `json:"identifier"`
	Name             string            `json:"name"`
	Parameters       map[string]string `json:"parameters"`
	ExcludedAccounts []string          `json:"excludedAccounts"`
}

// ConformancePack configures the organization conformance pack.
type ConformancePack struct {
	Enabled        bool   `json:"enabled"`
	Name           string `json:"name"`
	DeliveryBucket string `json:"deliveryBucket"`
	// Template names a pack shipped in the repository (components.ConformancePackTemplates).
	Template         string   `json:"template"`
	ExcludedAccounts []string `json:"excludedAccounts"`
}

func defaultAWSConfig() AWSConfig {
	return AWSConfig{
		Enabled:           true,
		LogDeletionDays:   730,
		KMSEncryption:     true,
		SnapshotFrequency: "One_Hour",
		RecorderRole:      components.RecorderRoleServiceLinked,
		ConformancePack:   ConformancePack{Enabled: true, Template: "securityIdentityCompliance"},
		// IaC scanners flag an aggregator that leaves regions out; recording
		// is still limited to the governed regions.
		AggregateAllRegions: true,
		AccessLogging:       true,
		Recording:           Recording{Frequency: RecordContinuously},
		Remediation:         defaultRemediation(),
	}
}

// StackSet configures the member-account StackSet (key stackSet), used when
// memberBaseline is "stackset".
type StackSet struct {
	OrganizationalUnitIDs      []string `json:"organizationalUnitIds"`
	FailureTolerancePercentage int      `json:"failureTolerancePercentage"`
	MaxConcurrentPercentage    int      `json:"maxConcurrentPercentage"`
	// Retired keys: every stack of the StackSet now creates
	// AWSServiceRoleForConfig only where it is missing. They are refused
	// by name, with that reason, rather than as unknown fields.
	RetiredCreateServiceLinkedRole       *bool    `json:"createServiceLinkedRole"`
	RetiredAccountsWithServiceLinkedRole []string `json:"accountsWithServiceLinkedRole"`
}

// GuardDuty configures organization-wide GuardDuty (key guardDuty).
type GuardDuty struct {
	Enabled                    bool                     `json:"enabled"`
	Mode                       components.GuardDutyMode `json:"mode"`
	FindingPublishingFrequency string                   `json:"findingPublishingFrequency"`
	Features                   GuardDutyFeatures        `json:"features"`
	AlertMinSeverity           float64                  `json:"alertMinSeverity"`
	AlertFindingTypes          []string                 `json:"alertFindingTypes"`
	FindingsExport             bool                     `json:"findingsExport"`
	FindingsExportDays         int                      `json:"findingsExportDays"`
}

// GuardDutyFeatures switches the GuardDuty protection plans.
type GuardDutyFeatures struct {
	S3DataEvents         bool `json:"s3DataEvents"`
	EKSAuditLogs         bool `json:"eksAuditLogs"`
	EBSMalwareProtection bool `json:"ebsMalwareProtection"`
	RDSLoginEvents       bool `json:"rdsLoginEvents"`
	LambdaNetworkLogs    bool `json:"lambdaNetworkLogs"`
	RuntimeMonitoring    bool `json:"runtimeMonitoring"`
}

func defaultGuardDuty() GuardDuty {
	return GuardDuty{
		Enabled:                    true,
		Mode:                       components.GuardDutyOrganization,
		FindingPublishingFrequency: "FIFTEEN_MINUTES",
		Features: GuardDutyFeatures{
			S3DataEvents:         true,
			EKSAuditLogs:         true,
			EBSMalwareProtection: true,
			RDSLoginEvents:       true,
			LambdaNetworkLogs:    true,
		},
		AlertMinSeverity:   7,
		AlertFindingTypes:  []string{"Policy:IAMUser/RootCredentialUsage"},
		FindingsExportDays: 365,
	}
}

// ControlTower describes an AWS Control Tower landing zone the stack runs
// alongside (key controlTower): Control Tower owns the organization trail
// and the AWS Config recorders of enrolled accounts.
type ControlTower struct {
	Enabled bool `json:"enabled"`
}

// ControlTowerLogGroup is the log group Control Tower's organization trail
// delivers to, in the management account's home region.
const ControlTowerLogGroup = "aws-controltower/CloudTrailLogs"
