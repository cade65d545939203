package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// ImportFile is Pulumi's bulk import file, as `pulumi import --file` reads it
// (the importFile and importSpec types of pulumi/pkg's import command): each
// resource by type and logical name, the existing one's ID, and its parent
// and provider by name. It names the stack's own components and providers
// too (components with component: true, providers with their inputs), so
// that the import works on a stack that has never been deployed and puts
// every resource at the URN the program registers it under.
type ImportFile struct {
	Resources []ImportSpec `json:"resources"`
}

// ImportSpec is one entry of an ImportFile. Inputs are a provider's
// configuration, or a resource's inputs that its provider's Read cannot
// return.
type ImportSpec struct {
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	ID        string         `json:"id,omitempty"`
	Parent    string         `json:"parent,omitempty"`
	Provider  string         `json:"provider,omitempty"`
	Version   string         `json:"version,omitempty"`
	Component bool           `json:"component,omitempty"`
	Inputs    map[string]any `json:"inputs,omitempty"`
}

// Lookup is an ID only AWS knows: the file holds a placeholder, and Command
// finds the value (run with the account's credentials).
type Lookup struct {
	Name, Account, AccountID, Region, Command string
}

// PlaceholderPrefix starts every ID the file cannot know.
const PlaceholderPrefix = "<REPLACE: "

// adoptableID returns the import ID of a resource of a kind that commonly
// exists before the stack (AWS allows one per account and region, or IAM
// creates it once), and the lookup when only AWS knows it. Delegated
// administrators are not among them: the program reads the registrations
// at deploy time and imports the security account's itself. Each ID is what
// the provider's import takes (the pulumi-aws and pulumi-aws-native
// registry's "Import" section of each resource).
func adoptableID(r Resource) (id string, lookup *Lookup, ok bool) {
	str := func(k string) string { s, _ := r.Inputs[k].(string); return s }
	switch r.Type {
	case "aws:guardduty/detector:Detector":
		if r.Import != "" {
			return r.Import, nil, true
		}
		cmd := fmt.Sprintf("aws guardduty list-detectors --region %s --query 'DetectorIds[0]' --output text", r.Region)
		return fmt.Sprintf("%sdetector ID of %s in %s; %s>", PlaceholderPrefix, r.AccountID, r.Region, cmd),
			&Lookup{Name: r.Name, Account: r.Account, AccountID: r.AccountID, Region: r.Region, Command: cmd}, true
	case "aws:cfg/recorder:Recorder", "aws:cfg/deliveryChannel:DeliveryChannel":
		return str("name"), nil, true // the name is the ID
	case "aws:iam/serviceLinkedRole:ServiceLinkedRole":
		service := str("awsServiceName")
		return fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/%s/AWSServiceRoleFor%s",
			r.partition(), r.AccountID, service, serviceLinkedSuffix(service)), nil, true
	case "aws-native:securityhub:Hub":
		return fmt.Sprintf("arn:%s:securityhub:%s:%s:hub/default", r.partition(), r.Region, r.AccountID), nil, true
	case "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount":
		return str("adminAccountId"), nil, true
	case "aws:inspector2/memberAssociation:MemberAssociation":
		// An account Inspector enabled before, or auto-enable associated
		// when it joined, is associated already, and AssociateMember refuses
		// it again; the provider imports an association by account ID.
		return str("accountId"), nil, true
	case "aws:macie2/classificationExportConfiguration:ClassificationExportConfiguration":
		// One per account and region; the provider refuses to create a second.
		return r.AccountID + ":" + r.Region, nil, true
	case "aws:securitylake/dataLake:DataLake":
		// One per account and region (terraform-provider-aws imports it by ARN).
		return fmt.Sprintf("arn:%s:securitylake:%s:%s:data-lake/default", r.partition(), r.Region, r.AccountID), nil, true
	case "aws:securitylake/awsLogSource:AwsLogSource":
		// The ID is the source name.
		source, _ := r.Inputs["source"].(map[string]any)
		name, _ := source["sourceName"].(string)
		return name, nil, name != ""
	case "aws:iam/role:Role":
		// Security Lake's roles have fixed names, so an account where it ran
		// before has them; the name is the ID.
		if name := str("name"); name == components.SecurityLakeMetastoreRole || name == components.SecurityLakeReplicationRole {
			return name, nil, true
		}
	}
	return "", nil, false
}

func (r Resource) partition() string { return where{region: r.Region}.partition() }

// readLess returns the inputs of r that the provider's Read never returns,
// which `pulumi import` takes from the file instead (the import file's
// inputs: "values the provider's Read cannot return"). Without them the
// state lacks the input and the next `pulumi up` plans its change.
func readLess(r Resource) map[string]any {
	switch r.Type {
	case "aws:securitylake/dataLake:DataLake":
		// terraform-provider-aws securitylake/data_lake.go: Read never sets
		// meta_store_manager_role_arn, which is required and RequiresReplace,
		// so an adopted lake imported without it would be replaced (deleted
		// and created again) by the next up.
		if role, ok := r.Inputs["metaStoreManagerRoleArn"].(string); ok && role != "" {
			return map[string]any{"metaStoreManagerRoleArn": role}
		}
	}
	return nil
}

// ImportFile returns the bulk import file for every resource of the kinds
// that commonly pre-exist (detectors, recorders, delivery channels,
// service-linked roles, Security Hub, GuardDuty's administrator, Inspector's
// member associations, Macie's results repository setting, Security Lake's
// data lakes, sources and fixed-name roles), with their
// components and providers, and the lookups its placeholders need.
func (p *Plan) ImportFile() (ImportFile, []Lookup) {
	byURN := map[string]Resource{}
	byName := map[string]Resource{}
	for _, r := range p.Resources {
		byURN[r.URN] = r
		if r.IsProvider() {
			byName[r.Name] = r
		}
	}
	var f ImportFile
	var lookups []Lookup
	added := map[string]bool{}
	var add func(r Resource, spec ImportSpec)
	add = func(r Resource, spec ImportSpec) {
		if added[r.URN] {
			return
		}
		added[r.URN] = true
		if parent, ok := byURN[r.Parent]; ok {
			add(parent, ImportSpec{Type: parent.Type, Name: parent.Name, Component: true})
			spec.Parent = parent.Name
		}
		if r.Provider != "" {
			prov := byName[r.Provider]
			add(prov, ImportSpec{Type: prov.Type, Name: prov.Name, Version: prov.Version, Inputs: prov.Inputs})
			spec.Provider = prov.Name
		}
		f.Resources = append(f.Resources, spec)
	}
	for _, r := range p.Resources {
		id, lookup, ok := adoptableID(r)
		if !ok {
			continue
		}
		add(r, ImportSpec{Type: r.Type, Name: r.Name, ID: id, Inputs: readLess(r)})
		if lookup != nil {
			lookups = append(lookups, *lookup)
		}
	}
	slices.SortStableFunc(lookups, func(a, b Lookup) int { return strings.Compare(a.Name, b.Name) })
	return f, lookups
}
