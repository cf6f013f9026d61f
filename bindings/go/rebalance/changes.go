package rebalance

/*
#include <stdlib.h>
#include <rebalance/rebalance.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// ChangeKind says what happened to an entry between two translations.
type ChangeKind int

// The kinds of change (rb_change).
const (
	Added   ChangeKind = C.RB_CHANGE_ADDED   // not in the previous result
	Changed ChangeKind = C.RB_CHANGE_CHANGED // in both, serialized differently
	Removed ChangeKind = C.RB_CHANGE_REMOVED // in the previous result only
)

func (k ChangeKind) String() string {
	switch k {
	case Added:
		return "Added"
	case Changed:
		return "Changed"
	case Removed:
		return "Removed"
	}
	return fmt.Sprintf("ChangeKind(%d)", int(k))
}

// DestinationChange is one destination added, changed or removed, by its
// Key (Destination.Key).
type DestinationChange struct {
	Change      ChangeKind
	Key         string
	Destination *Destination // as it is now; nil when removed
}

// RouteStatusChange is one route whose status entries (one per parentRef)
// were added, changed or removed, as a whole.
type RouteStatusChange struct {
	Change    ChangeKind
	Kind      string // HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute
	Namespace string
	Name      string
	Statuses  []RouteStatus // as they are now; nil when removed
}

// Changes is what one translation changed (rb_engine_changes): applied to
// the previous result's destinations (by Key) and route statuses (by route),
// it gives the new result.
type Changes struct {
	Destinations  []DestinationChange
	RouteStatuses []RouteStatusChange
}

// Empty says whether nothing changed.
func (c *Changes) Empty() bool {
	return c == nil || len(c.Destinations) == 0 && len(c.RouteStatuses) == 0
}

// Changes brings the result up to date, as Translate does, and returns what
// differs from the result of the previous translation (by Translate, Render,
// Xds or Changes; everything is Added the first time). Only the changed
// entries are serialized (rb_changes_to_buffer) and decoded, so its cost
// follows the size of the change, not of the result.
func (en *Engine) Changes() (*Changes, error) {
	if en == nil {
		return nil, ErrNilHandle
	}
	out := &Changes{}
	if err := en.changes(out); err != nil {
		return nil, err
	}
	return out, nil
}

// changes translates, serializes the change set (only valid until the next
// rb_engine_translate) and decodes it into out, under the lock: the library's
// buffer is read where it was written, not copied (nothing decoded points
// into it), and freed with the context, which Close may free once the lock
// is released.
func (en *Engine) changes(out *Changes) error {
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.e == nil {
		return ErrClosed
	}
	var res *C.rb_result
	if rc := C.rb_engine_translate(en.e, &res); rc != C.RB_OK {
		return fmt.Errorf("rebalance: translate: %w", Code(rc))
	}
	var buf *C.char
	var n C.size_t
	if rc := C.rb_changes_to_buffer(en.ctx, C.rb_engine_changes(en.e), C.RB_FORMAT_JSON, &buf, &n); rc != C.RB_OK {
		return fmt.Errorf("rebalance: serialize the changes: %w", Code(rc))
	}
	defer C.rb_free(en.ctx, unsafe.Pointer(buf))
	return decodeChanges(unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n)), out)
}
