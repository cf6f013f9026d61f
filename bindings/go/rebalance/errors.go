package rebalance

// #include <rebalance/rebalance.h>
import "C"

import (
	"fmt"
	"strings"
)

// Code is a library error code (rb_error). Codes are errors themselves, so
// errors.Is(err, rebalance.ErrParse) works on every error of this package.
type Code int

const (
	ErrNoMemory    Code = C.RB_ENOMEM       // an allocation failed
	ErrInvalid     Code = C.RB_EINVAL       // invalid argument or option
	ErrParse       Code = C.RB_EPARSE       // the input is not usable
	ErrLimit       Code = C.RB_ELIMIT       // the input exceeds a limit
	ErrIO          Code = C.RB_EIO          // a file could not be read
	ErrUnsupported Code = C.RB_EUNSUPPORTED // valid but not supported by this build
)

// Error returns the library's name for the code ("unusable input").
func (c Code) Error() string {
	return "rebalance: " + C.GoString(C.rb_strerror(C.int(c)))
}

// Error is one diagnostic: an input the library refused, where and why.
type Error struct {
	Code    Code   // ErrParse, ErrLimit, ErrIO or ErrNoMemory
	File    string // the source name ("<buffer>" when none was given)
	Line    int    // 1-based, 0 when unknown
	Column  int    // 1-based, in code points, 0 when unknown
	Offset  int64  // byte offset into the source
	Path    string // JSON pointer of the offending node, "" for syntax errors
	Message string // what went wrong and what was expected
}

// Error renders the diagnostic as the CLI prints it:
// "FILE:LINE:COL: PATH: MESSAGE" (line and column when known, the path when
// there is one).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns the code, for errors.Is.
func (e *Error) Unwrap() error { return e.Code }

// ErrorList holds the diagnostics of one call, one per unusable input, in
// input order. It is never empty.
type ErrorList []*Error

// Error renders one diagnostic per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Is reports whether any diagnostic matches target (a Code, or the *Error itself).
func (l ErrorList) Is(target error) bool {
	for _, e := range l {
		if e == target || e.Code == target {
			return true
		}
	}
	return false
}

// Unwrap returns the first diagnostic, so that errors.As(err, &e) with
// e *Error finds it.
func (l ErrorList) Unwrap() error {
	if len(l) == 0 {
		return nil
	}
	return l[0]
}
