package stack

import (
	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
)

// The stack's validated settings, turned into the components' own options:
// components know nothing of the stack's configuration.

func orgTrailOptions(cfg *config.Config) components.OrgTrailOptions {
	t := cfg.OrgTrail
	return components.OrgTrailOptions{
		LogRetentionDays:      t.LogRetentionDays,
		LogDeletionDays:       t.LogDeletionDays,
		GlacierTransitionDays: t.GlacierTransitionDays,
		KMSEncryption:         t.KMSEncryption,
		LogGroupKMSEncryption: t.LogGroupKMSEncryption,
		AccessLogging:         t.AccessLogging,
		ObjectLock:            cfg.TrailObjectLock(),
		EvidenceManagers:      cfg.EvidenceManagers(t.BucketAccount),
		DataEvents:            components.DataEvents{S3: t.DataEvents.S3, Lambda: t.DataEvents.Lambda},
		Insights:              t.Insights,
	}
}

func guardDutyOptions(cfg *config.Config) components.GuardDutyOptions {
	g := cfg.GuardDuty
	f := g.Features
	return components.GuardDutyOptions{
		Mode:                       g.Mode,
		FindingPublishingFrequency: g.FindingPublishingFrequency,
		Features: components.GuardDutyPlans{
			S3DataEvents: f.S3DataEvents, EKSAuditLogs: f.EKSAuditLogs, EBSMalwareProtection: f.EBSMalwareProtection,
			RDSLoginEvents: f.RDSLoginEvents, LambdaNetworkLogs: f.LambdaNetworkLogs, RuntimeMonitoring: f.RuntimeMonitoring,
		},
		AlertMinSeverity:         g.AlertMinSeverity,
		AlertFindingTypes:        g.AlertFindingTypes,
		FindingsExport:           g.FindingsExport,
		FindingsExportDays:       g.FindingsExportDays,
		FindingsEvidenceManagers: cfg.EvidenceManagers(config.LogArchive),
		Suppressions:             cfg.Suppressions(),
		PagingMinSeverity:        cfg.Paging.GuardDutyMinSeverity,
	}
}
