// Package components holds the landing-zone-audit ComponentResources. Each
// takes its providers explicitly in its Args and passes the right one to every
// child, so no resource can land in the wrong account or region.
//
// Components register with RegisterComponentResource, not the V2 form that
// records inputs in the state: their arguments are providers and unresolved
// outputs, and every change already shows in their children's diffs, so
// component inputs would repeat each line of a preview.
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

func (e *argErrors) err() error {
	if len(e.errs) == 0 {
		return nil
	}
	return argsError{errors.Join(e.errs...)}
}

// argsError reports a component's arguments; its text names the component.
type argsError struct{ error }

func (e argsError) Unwrap() error { return e.error }

// errNilArgs is a constructor's answer to nil arguments.
func errNilArgs(component string) error {
	return argsError{fmt.Errorf("%s: args: required", component)}
}

// wrapChildError names the component in an error from creating its
// children, so that a failed registration says where it came from;
// argument errors name it already.
func wrapChildError(err *error, component, name string) {
	var a argsError
	if *err != nil && !errors.As(*err, &a) {
		*err = fmt.Errorf("%s %q: %w", component, name, *err)
	}
}

// adopted returns the options of a resource that existed before the stack:
// imported under id, and retained on delete, so that `pulumi destroy`
// leaves it in place, as the stack found it there.
func adopted(id string) []pulumi.ResourceOption {
	return []pulumi.ResourceOption{pulumi.Import(pulumi.ID(id)), pulumi.RetainOnDelete(true)}
}

// children returns the options every child of c gets: c as its parent and the
// given provider.
func children(c pulumi.Resource, p pulumi.ProviderResource, extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Parent(c), pulumi.Provider(p)}, extra...)
}
