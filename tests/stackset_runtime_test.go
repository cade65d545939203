package tests

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pythonRuntimesCheckedOn is when pythonBlockCreate was read from the Lambda
// Developer Guide, "Building Lambda functions with Python" (the runtime
// table's "Block function create" column).
var pythonRuntimesCheckedOn = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

// pythonBlockCreate is that column: from these dates Lambda refuses to
// create a function on the runtime.
var pythonBlockCreate = map[string]time.Time{
	"python3.14": time.Date(2029, 7, 31, 0, 0, 0, 0, time.UTC),
	"python3.13": time.Date(2029, 7, 31, 0, 0, 0, 0, time.UTC),
	"python3.12": time.Date(2028, 11, 30, 0, 0, 0, 0, time.UTC),
	"python3.11": time.Date(2027, 7, 31, 0, 0, 0, 0, time.UTC),
	"python3.10": time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
}

// Automatic deployment creates the baseline's function in every account
// that joins a targeted OU, long after the last pulumi up: once Lambda
// blocks creating functions on its runtime, every joining account's stacks
// fail and the account is never recorded. So the function runs on a runtime
// whose creation block is as late as the table has, and at least two years
// after the table was read.
func TestStackSetRoleFunctionRuntimeOutlivesCreation(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.large.yaml"))
	stack := renderStack(t, one(t, p, typeStackSet, "member-baseline").Inputs["templateBody"].(string), nil, "us-east-1", "300000000099")
	runtime, _ := stack["ConfigRoleFunction"].Properties["Runtime"].(string)
	block, ok := pythonBlockCreate[runtime]
	require.True(t, ok, "%q is not in Lambda's Python runtime table", runtime)
	latest := block
	for _, d := range pythonBlockCreate {
		if d.After(latest) {
			latest = d
		}
	}
	assert.Equal(t, latest, block, "%s: Lambda blocks creating it on %s; a newer runtime lasts until %s", runtime, block.Format(time.DateOnly), latest.Format(time.DateOnly))
	assert.True(t, block.After(pythonRuntimesCheckedOn.AddDate(2, 0, 0)), "%s: Lambda blocks creating it on %s", runtime, block.Format(time.DateOnly))
}
