package components

import (
	"fmt"
	"slices"

	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// PolicyDocument is an IAM, bucket, key or topic policy. Policies are built as
// Go values and marshalled, never assembled from strings.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement.
type Statement struct {
	Sid       string     `json:"Sid,omitempty"`
	Effect    string     `json:"Effect"`
	Principal any        `json:"Principal,omitempty"` // Principals, or "*" for everyone
	Action    []string   `json:"Action"`
	Resource  []string   `json:"Resource,omitempty"`
	Condition Conditions `json:"Condition,omitempty"`
}

// Principals names the services and AWS principals a statement applies to.
type Principals struct {
	AWS     []string `json:"AWS,omitempty"`
	Service []string `json:"Service,omitempty"`
}

// Conditions maps an operator (StringEquals, Bool, …) to keys and values.
type Conditions map[string]map[string]any

func policy(statements ...Statement) PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: statements}
}

// JSON returns the policy as JSON text.
func (d PolicyDocument) JSON() string {
	// Only plain strings, slices and maps go in: marshalling cannot fail.
	return jsondoc.MustMarshal(d)
}

func service(names ...string) Principals { return Principals{Service: names} }

func accountRoot(partition, accountID string) string {
	return fmt.Sprintf("arn:%s:iam::%s:root", partition, accountID)
}

func allow(sid string, principal any, actions, resources []string, cond Conditions) Statement {
	return Statement{Sid: sid, Effect: "Allow", Principal: principal, Action: actions, Resource: resources, Condition: cond}
}

// denyInsecureTransport refuses every request to resources made without TLS
// (Security Hub S3.5, SNS.2-style controls).
func denyInsecureTransport(action string, resources ...string) Statement {
	return Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: "*",
		Action:    []string{action},
		Resource:  resources,
		Condition: Conditions{"Bool": {"aws:SecureTransport": "false"}},
	}
}

// arn formats an ARN in the given partition.
func arn(partition, service, region, account, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", partition, service, region, account, resource)
}

func bucketArn(partition, bucket string) string { return arn(partition, "s3", "", "", bucket) }

// regionalServicePrincipal names a regional service principal such as
// logs.eu-west-2.amazonaws.com, with the China partition's own domain.
func regionalServicePrincipal(service, region, partition string) string {
	domain := "amazonaws.com"
	if partition == "aws-cn" {
		domain = "amazonaws.com.cn"
	}
	return fmt.Sprintf("%s.%s.%s", service, region, domain)
}

// servicePrincipalsIn names a service's principal in each of regions: the
// global one (<service>.amazonaws.com), or in a region disabled by default
// (optIn) the regional one, as services acting from such a region sign
// (Macie and GuardDuty user guides, bucket and key policies).
func servicePrincipalsIn(service string, regions, optIn []string, partition string) Principals {
	principals := Principals{}
	for _, region := range regions {
		principal := service + ".amazonaws.com"
		if slices.Contains(optIn, region) {
			principal = regionalServicePrincipal(service, region, partition)
		}
		if !slices.Contains(principals.Service, principal) {
			principals.Service = append(principals.Service, principal)
		}
	}
	return principals
}

// RoleArn is the ARN of an IAM role.
func RoleArn(partition, accountID, name string) string {
	return arn(partition, "iam", "", accountID, "role/"+name)
}

// rolePrincipals grant to the named roles without naming them as principals:
// IAM refuses a policy whose principal does not exist yet, and these roles
// are created in other accounts, possibly after the policy.
func rolePrincipals(roleArns []string, organizationID string) Conditions {
	return Conditions{
		"ArnEquals":    {"aws:PrincipalArn": roleArns},
		"StringEquals": {"aws:PrincipalOrgID": organizationID},
	}
}
