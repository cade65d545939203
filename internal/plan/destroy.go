package plan

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// Removal is what `pulumi destroy` would do to the AWS resources of a plan:
// the engine deletes each resource through its provider unless it is
// retained on delete (then it only leaves the state) or protected (then the
// whole destroy is refused).
type Removal struct {
	Deleted []Resource `json:"deleted"`
	Kept    []Kept     `json:"kept"`
	// Blocked are the resources whose deletion is refused as configured:
	// the destroy stops at them until the reason is removed.
	Blocked []Kept `json:"blocked,omitempty"`
}

// Kept is a resource the destroy leaves in AWS, or refuses to delete, and why.
type Kept struct {
	Resource Resource `json:"resource"`
	Why      string   `json:"why"`
	// Idle marks a key left with nothing to protect: everything it
	// encrypted is deleted, and it still costs its monthly fee.
	Idle bool `json:"idle,omitempty"`
}

// keyType is a customer managed KMS key.
const keyType = "aws:kms/key:Key"

// transientTypes keep no data once deleted: a key that only they use
// protects nothing after a destroy (SNS stores no messages; a deleted
// queue's messages go with it).
var transientTypes = []string{"aws:sns/topic:Topic", "aws:sqs/queue:Queue"}

// referenceTypes name a key without encrypting anything with it.
var referenceTypes = []string{"aws:kms/alias:Alias", "aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"}

// Removal sorts the plan's AWS resources into what a destroy deletes,
// keeps and is refused.
func (p *Plan) Removal() Removal {
	users := map[string][]Resource{} // key URN -> resources that use it
	for _, r := range p.Resources {
		for _, d := range r.Dependencies {
			users[d] = append(users[d], r)
		}
	}
	var out Removal
	for _, r := range p.Resources {
		if !r.Custom || r.IsProvider() {
			continue
		}
		switch {
		case r.Protect:
			out.Blocked = append(out.Blocked, Kept{Resource: r, Why: "protected: pulumi destroy refuses the whole run; `pulumi state unprotect " + r.URN + "` first"})
		case r.Type == "aws-native:cloudtrail:EventDataStore" && r.Inputs["terminationProtectionEnabled"] == true:
			out.Blocked = append(out.Blocked, Kept{Resource: r, Why: "termination protection: CloudTrail refuses to delete the event data store; " +
				"set cloudTrailLake.terminationProtection to false and pulumi up first, or keep it with `pulumi state delete " + r.URN + "`"})
		case r.RetainOnDelete:
			out.Kept = append(out.Kept, keptBecause(r, users[r.URN]))
		default:
			out.Deleted = append(out.Deleted, r)
		}
	}
	return out
}

// keptBecause says why a retained resource is kept.
func keptBecause(r Resource, users []Resource) Kept {
	k := Kept{Resource: r}
	switch {
	case r.Import != "":
		k.Why = "adopted: it existed before the stack (imported as " + r.Import + "); kept with the settings the stack gave it"
	case r.Type == keyType:
		k.Why, k.Idle = keyPurpose(r, users)
	case r.Type == "aws:s3/bucketV2:BucketV2":
		k.Why = "evidence: the bucket and every object in it"
	case r.Type == "aws:cloudwatch/logGroup:LogGroup":
		k.Why = "evidence: the events in it, until its retention ends"
	case r.Type == "aws:cfg/recorderStatus:RecorderStatus":
		k.Why = "the adopted recorder keeps recording (deleting its status would stop it)"
	case r.Type == "aws:iam/serviceLinkedRole:ServiceLinkedRole":
		k.Why = "AWS Config's service-linked role, which other recorders of the account may use"
	case strings.HasPrefix(r.Type, "aws:s3/"):
		k.Why = "keeps the retained bucket protected (deleting it would undo the setting)"
	case r.Type == "aws:kms/alias:Alias":
		k.Why = "names a retained key"
	default:
		k.Why = "retained on delete"
	}
	return k
}

// keyPurpose says what a retained key still decrypts after a destroy, or
// that it protects nothing.
func keyPurpose(key Resource, users []Resource) (why string, idle bool) {
	kept := map[string]int{}
	var gone []string
	alias := ""
	for _, u := range users {
		if u.Type == "aws:kms/alias:Alias" {
			alias, _ = u.Inputs["name"].(string)
		}
		if slices.Contains(referenceTypes, u.Type) {
			continue
		}
		if slices.Contains(transientTypes, u.Type) && !u.RetainOnDelete {
			gone = append(gone, shortType(u.Type)+" "+u.Name)
		} else {
			kept[shortType(u.Type)]++
		}
	}
	if len(kept) > 0 {
		var users []string
		for _, typ := range sortedKeys(kept) {
			users = append(users, fmt.Sprintf("%s ×%d", typ, kept[typ]))
		}
		return "decrypts what stays of the data written through " + strings.Join(users, ", "), false
	}
	what := "nothing in the plan uses it"
	if len(gone) > 0 {
		what = "it encrypted only " + strings.Join(gone, ", ") + ", deleted with the stack"
	}
	id := "<its key ID>"
	if alias != "" {
		// ScheduleKeyDeletion takes a key ID or ARN, not an alias.
		id = fmt.Sprintf("$(aws kms describe-key --key-id %s --region %s --query KeyMetadata.KeyId --output text)", alias, key.Region)
	}
	return "protects nothing after destroy: " + what + "; it costs $1 a month until deleted: " +
		"aws kms schedule-key-deletion --region " + key.Region + " --key-id " + id + " --pending-window-in-days 30", true
}

// writeDestroy prints what `pulumi destroy` would delete, keep and be refused.
func (p *Plan) writeDestroy(w io.Writer) error {
	rm := p.Removal()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	idle := 0
	for _, k := range rm.Kept {
		if k.Idle {
			idle++
		}
	}
	fmt.Fprintf(tw, "pulumi destroy: %d AWS resources deleted, %d kept (%d keys left with nothing to protect), %d refused\n",
		len(rm.Deleted), len(rm.Kept), idle, len(rm.Blocked))
	if len(rm.Blocked) > 0 {
		fmt.Fprintln(tw, "\nRefused (the destroy stops here until this is resolved):")
		for _, k := range rm.Blocked {
			fmt.Fprintf(tw, "  %s\t%s\t%s (%s)\t%s\n", k.Resource.Type, k.Resource.Name, k.Resource.Account, k.Resource.Region, k.Why)
		}
	}
	fmt.Fprintln(tw, "\nKept in AWS (they leave the stack's state):")
	settings := 0
	for _, k := range rm.Kept {
		r := k.Resource
		if r.Type == "aws:kms/alias:Alias" || (strings.HasPrefix(r.Type, "aws:s3/") && r.Type != "aws:s3/bucketV2:BucketV2") {
			settings++ // listed with their bucket or key below
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s (%s)\t%s\n", shortType(r.Type), r.Name, r.PhysicalName(), r.Account, r.Region, k.Why)
	}
	if settings > 0 {
		fmt.Fprintf(tw, "  and %d settings of those buckets (public-access block, ownership, encryption, versioning, lifecycle, Object Lock, policy) and key aliases\n", settings)
	}
	fmt.Fprintln(tw, "\nDeleted, by account, region and service:")
	deleted := map[string]map[string]int{}
	for _, r := range rm.Deleted {
		where := fmt.Sprintf("%s (%s) %s", r.Account, r.AccountID, r.Region)
		if deleted[where] == nil {
			deleted[where] = map[string]int{}
		}
		deleted[where][serviceOf(r.Type)]++
	}
	for _, where := range sortedKeys(deleted) {
		var counts []string
		for _, svc := range sortedKeys(deleted[where]) {
			counts = append(counts, fmt.Sprintf("%s %d", svc, deleted[where][svc]))
		}
		fmt.Fprintf(tw, "  %s\t%s\n", where, strings.Join(counts, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\nWhat AWS created on the stack's behalf (detectors and hubs that organization auto-enable turned on in member accounts, Security Lake's buckets) is not the stack's and stays: see docs/removal.md.\n")
	return err
}
