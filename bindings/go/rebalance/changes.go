package rebalance

/*
#include <stdlib.h>
#include <rebalance/rebalance.h>
*/
import "C"

import (
	"encoding/json"
	"fmt"
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
// entries are serialized and decoded, so its cost follows the size of the
// change, not of the result.
func (en *Engine) Changes() (*Changes, error) {
	if en == nil {
		return nil, ErrNilHandle
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	if en.e == nil {
		return nil, ErrClosed
	}
	var res *C.rb_result
	if rc := C.rb_engine_translate(en.e, &res); rc != C.RB_OK {
		return nil, fmt.Errorf("rebalance: translate: %w", Code(rc))
	}
	c := C.rb_engine_changes(en.e)
	out := &Changes{}
	if n := int(C.rb_changes_destination_count(c)); n > 0 {
		out.Destinations = make([]DestinationChange, n)
	}
	for i := range out.Destinations {
		ci := C.size_t(i)
		x := &out.Destinations[i]
		x.Change = ChangeKind(C.rb_changes_destination_change(c, ci))
		x.Key = C.GoString(C.rb_changes_destination_key(c, ci))
		if x.Change == Removed {
			continue
		}
		var buf *C.char
		var n C.size_t
		if rc := C.rb_destination_to_buffer(en.ctx, C.rb_changes_destination(c, ci), C.RB_FORMAT_JSON, &buf, &n); rc != C.RB_OK {
			return nil, fmt.Errorf("rebalance: serialize destination %s: %w", x.Key, Code(rc))
		}
		x.Destination = new(Destination)
		if err := json.Unmarshal(takeBuffer(en.ctx, buf, n), x.Destination); err != nil {
			return nil, fmt.Errorf("rebalance: decoding the library's JSON: %w", err)
		}
	}
	if n := int(C.rb_changes_route_count(c)); n > 0 {
		out.RouteStatuses = make([]RouteStatusChange, n)
	}
	for i := range out.RouteStatuses {
		ci := C.size_t(i)
		x := &out.RouteStatuses[i]
		x.Change = ChangeKind(C.rb_changes_route_change(c, ci))
		x.Kind = C.GoString(C.rb_changes_route_kind(c, ci))
		x.Namespace = C.GoString(C.rb_changes_route_namespace(c, ci))
		x.Name = C.GoString(C.rb_changes_route_name(c, ci))
		n := int(C.rb_changes_route_status_count(c, ci))
		if x.Change == Removed || n == 0 {
			continue
		}
		x.Statuses = make([]RouteStatus, n)
		for j := range x.Statuses {
			var buf *C.char
			var len C.size_t
			st := C.rb_changes_route_status(c, ci, C.size_t(j))
			if rc := C.rb_route_status_to_buffer(en.ctx, st, C.RB_FORMAT_JSON, &buf, &len); rc != C.RB_OK {
				return nil, fmt.Errorf("rebalance: serialize the status of %s/%s: %w", x.Namespace, x.Name, Code(rc))
			}
			if err := json.Unmarshal(takeBuffer(en.ctx, buf, len), &x.Statuses[j]); err != nil {
				return nil, fmt.Errorf("rebalance: decoding the library's JSON: %w", err)
			}
		}
	}
	return out, nil
}
