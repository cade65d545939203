// Package components holds the landing-zone-audit ComponentResources. Each
// takes its providers explicitly in its Args and passes the right one to every
// child, so no resource can land in the wrong account or region.
package components

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// argErrors collects every problem with a component's arguments, each naming the argument.
type argErrors struct {
	component string
	errs      []error
}

func (e *argErrors) add(arg, format string, args ...any) {
	e.errs = append(e.errs, fmt.Errorf("%s: %s: %s", e.component, arg, fmt.Sprintf(format, args...)))
}

func (e *argErrors) require(arg, value string) {
	if value == "" {
		e.add(arg, "required")
	}
}

func (e *argErrors) requireProvider(arg string, p pulumi.ProviderResource) {
	if p == nil {
		e.add(arg, "required: every child needs an explicit provider")
	}
}

func (e *argErrors) err() error { return errors.Join(e.errs...) }

// children returns the options every child of c gets: c as its parent and the
// given provider.
func children(c pulumi.Resource, p pulumi.ProviderResource, extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(p)}, extra...)
}
