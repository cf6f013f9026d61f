package rebalance

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// mirror is what an embedder keeps: the destinations by key and the
// statuses by route, updated from change sets only.
type mirror struct {
	dests  map[string]Destination
	routes map[string][]RouteStatus
}

func (m *mirror) apply(t *testing.T, c *Changes) {
	t.Helper()
	for _, d := range c.Destinations {
		_, there := m.dests[d.Key]
		switch d.Change {
		case Added, Changed:
			if there != (d.Change == Changed) || d.Destination == nil || d.Destination.Key != d.Key {
				t.Fatalf("%v %s does not fit the previous result", d.Change, d.Key)
			}
			if d.Change == Changed && reflect.DeepEqual(m.dests[d.Key], *d.Destination) {
				t.Fatalf("changed %s is the same", d.Key)
			}
			m.dests[d.Key] = *d.Destination
		case Removed:
			if !there || d.Destination != nil {
				t.Fatalf("removed %s does not fit the previous result", d.Key)
			}
			delete(m.dests, d.Key)
		default:
			t.Fatalf("change %v", d.Change)
		}
	}
	for _, r := range c.RouteStatuses {
		k := r.Kind + "/" + r.Namespace + "/" + r.Name
		if r.Change == Removed {
			delete(m.routes, k)
		} else {
			m.routes[k] = r.Statuses
		}
	}
}

// equals checks the mirror against the engine's whole result.
func (m *mirror) equals(t *testing.T, res *Result) {
	t.Helper()
	dests := map[string]Destination{}
	for _, d := range res.Destinations {
		dests[d.Key] = d
	}
	routes := map[string][]RouteStatus{}
	for _, s := range res.RouteStatuses {
		k := s.Kind + "/" + s.Namespace + "/" + s.Name
		routes[k] = append(routes[k], s)
	}
	if !reflect.DeepEqual(dests, m.dests) {
		t.Fatalf("destinations differ after the change sets")
	}
	if !reflect.DeepEqual(routes, m.routes) {
		t.Fatalf("route statuses differ after the change sets")
	}
}

func TestEngineChanges(t *testing.T) {
	ready := failoverInputs(t, "endpoints-ready.yaml")
	empty := failoverInputs(t, "endpoints-empty.yaml")
	en := newEngine(t, Options{}, inputSources(ready)...)
	m := &mirror{map[string]Destination{}, map[string][]RouteStatus{}}

	c, err := en.Changes()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Destinations) == 0 || len(c.RouteStatuses) == 0 {
		t.Fatalf("the first change set adds everything: %+v", c)
	}
	for _, d := range c.Destinations {
		if d.Change != Added {
			t.Fatalf("first change set: %v %s", d.Change, d.Key)
		}
	}
	m.apply(t, c)
	res, err := en.Translate() // nothing to translate: the same result
	if err != nil {
		t.Fatal(err)
	}
	m.equals(t, res)
	if c, err := en.Changes(); err != nil || !c.Empty() {
		t.Fatalf("nothing applied, yet %+v (%v)", c, err)
	}

	// The active Service scaled to zero, and back: one destination changes each time.
	for _, in := range []Input{empty[1], ready[1]} {
		if err := en.ApplyInput(in); err != nil {
			t.Fatal(err)
		}
		c, err := en.Changes()
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Destinations) != 1 || c.Destinations[0].Change != Changed {
			t.Fatalf("after %s: %+v", in.Name, c.Destinations)
		}
		m.apply(t, c)
		res, err := en.Translate()
		if err != nil {
			t.Fatal(err)
		}
		m.equals(t, res)
	}

	// The same slice again: translated again, nothing changed.
	if err := en.ApplyInput(ready[1]); err != nil {
		t.Fatal(err)
	}
	if c, err := en.Changes(); err != nil || !c.Empty() {
		t.Fatalf("the same slice again: %+v (%v)", c, err)
	}

	// Every route deleted: everything removed.
	for _, s := range res.RouteStatuses {
		if err := en.Delete(s.Kind, s.Namespace, s.Name); err != nil {
			t.Fatal(err)
		}
	}
	c, err = en.Changes()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range c.Destinations {
		if d.Change != Removed || d.Destination != nil {
			t.Fatalf("deleted routes: %v %s", d.Change, d.Key)
		}
	}
	m.apply(t, c)
	if len(m.dests) != 0 || len(m.routes) != 0 {
		t.Fatalf("left after every route was deleted: %d destinations, %d routes", len(m.dests), len(m.routes))
	}
}

func TestEngineChangesNilAndClosed(t *testing.T) {
	var en *Engine
	if _, err := en.Changes(); !errors.Is(err, ErrNilHandle) {
		t.Errorf("nil engine: %v", err)
	}
	en = newEngine(t, Options{}, inputSources(failoverInputs(t, "endpoints-ready.yaml"))...)
	en.Close()
	if _, err := en.Changes(); !errors.Is(err, ErrClosed) {
		t.Errorf("closed engine: %v", err)
	}
	var c *Changes
	if !c.Empty() {
		t.Errorf("a nil change set is empty")
	}
	if Added.String() != "Added" || ChangeKind(9).String() != "ChangeKind(9)" {
		t.Errorf("String: %v %v", Added, ChangeKind(9))
	}
}

// The change set decoder reads what encoding/json reads: every golden
// case's first change set (everything added) against its result.
func TestEngineChangesGolden(t *testing.T) {
	n := 0
	for _, r := range loadGolden(t) {
		if r.command != "translate" || r.out == nil || len(r.files) > 0 || r.format != FormatJSON {
			continue
		}
		en := newEngine(t, r.opts, inputSources(r.inputs)...)
		c, err := en.Changes()
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		var res Result
		if err := json.Unmarshal(r.out, &res); err != nil {
			t.Fatal(err)
		}
		if len(c.Destinations) != len(res.Destinations) {
			t.Fatalf("%s: %d destinations added, %d in the result", r.name, len(c.Destinations), len(res.Destinations))
		}
		for i, d := range c.Destinations {
			if d.Change != Added || !reflect.DeepEqual(*d.Destination, res.Destinations[i]) {
				t.Fatalf("%s: destination %s decodes differently\n got: %+v\nwant: %+v", r.name, d.Key, *d.Destination, res.Destinations[i])
			}
		}
		m := &mirror{map[string]Destination{}, map[string][]RouteStatus{}}
		m.apply(t, &Changes{RouteStatuses: c.RouteStatuses})
		m.dests = map[string]Destination{}
		for _, d := range res.Destinations {
			m.dests[d.Key] = d
		}
		m.equals(t, &res)
		n++
	}
	if n == 0 {
		t.Fatal("no golden translate run")
	}
}

// Valid JSON the library does not write (other member order, unknown
// members, escapes, nulls, white space) decodes as encoding/json decodes it.
func TestDecodeChangesAnyJSON(t *testing.T) {
	doc := `{ "extra": [1, {"a": null}, "x"], "routeStatuses": [
	  {"name": "r\u00e9", "statuses": [ {"parentRef": {"port": 80, "group": null, "kind": "Gateway", "name": "eg"},
	    "conditions": [], "kind": "HTTPRoute", "unknown": true} ], "change": "Changed", "kind": "HTTPRoute", "namespace": "d"}],
	  "destinations": [ {"key": "k\ud83d\ude00\n\"\\\/", "change": "Added", "destination": {
	    "settings": [{"endpoints": [{"port": 1, "host": "h", "draining": true}], "name": "s", "weight": 3,
	      "preferLocal": {"force": {"minEndpointsInZoneThreshold": 2}, "minEndpointsThreshold": 7},
	      "metadata": {"annotations": [{"key": "a", "value": "\t"}], "kind": "Service"}, "invalid": false}],
	    "knobs": {"rebalanceOnNoReadyEndpoints": {"value": true, "policy": "p", "scope": "rule"}},
	    "route": {"rule": -1, "kind": "TCPRoute"}, "listeners": [], "directResponse": {"statusCode": 503},
	    "backendWeights": {"noEndpoints": 4}, "excluded": [{"weight": 2, "reason": "NoReadyEndpoints", "name": "x"}],
	    "key": "k\ud800 lone", "name": "n", "gateway": {"name": "eg"} }},
	  {"change": "Removed", "key": "gone", "destination": null} ] }`
	var got Changes
	if err := decodeChanges([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	var want struct {
		Destinations []struct {
			Change      string
			Key         string
			Destination *Destination
		}
		RouteStatuses []struct {
			Change, Kind, Namespace, Name string
			Statuses                      []RouteStatus
		}
	}
	if err := json.Unmarshal([]byte(doc), &want); err != nil {
		t.Fatal(err)
	}
	if len(got.Destinations) != 2 || len(got.RouteStatuses) != 1 {
		t.Fatalf("got %+v", got)
	}
	for i, d := range want.Destinations {
		g := got.Destinations[i]
		if g.Change.String() != d.Change || g.Key != d.Key || !reflect.DeepEqual(g.Destination, d.Destination) {
			t.Errorf("destination %d:\n got %v %q %+v\nwant %v %q %+v", i, g.Change, g.Key, g.Destination, d.Change, d.Key, d.Destination)
		}
	}
	w, g := want.RouteStatuses[0], got.RouteStatuses[0]
	if g.Change.String() != w.Change || g.Kind != w.Kind || g.Namespace != w.Namespace || g.Name != w.Name ||
		!reflect.DeepEqual(g.Statuses, w.Statuses) {
		t.Errorf("route status:\n got %+v\nwant %+v", g, w)
	}
	for _, bad := range []string{``, `{`, `{"destinations": [}`, `{"destinations": [{"key": "\q"}]}`,
		`{"destinations": [{"destination": {"route": {"rule": 1.5}}}]}`, `{} x`, `{"a": tru}`, "{\"a\": \"\x01\"}"} {
		var c Changes
		if err := decodeChanges([]byte(bad), &c); err == nil {
			t.Errorf("%q decodes", bad)
		}
	}
}

// The decoder's shortcuts (words shared within a change set, short strings
// cut from shared blocks, integers read by hand) give encoding/json's values,
// and nothing decoded reads the input afterwards.
func TestDecodeChangesSharedStrings(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"destinations": [`)
	long := strings.Repeat("L", 300) // past the block's limit: allocated alone
	for i := 0; i < 200; i++ {       // about 20 blocks of short strings
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"change": "Added", "key": "key-%d", "destination": {"name": "n%d-%s",
		  "route": {"kind": "HTTPRoute", "namespace": "ns-%d", "rule": %d},
		  "settings": [{"name": "s", "protocol": "P%d", "endpoints": [
		    {"host": "10.0.0.%d", "port": 4294967295, "zone": "zone-%c"},
		    {"host": "h\u00e9", "port": 0, "zone": "zone-%c"}]}]}}`,
			i, i, long[:i%2*300], i%7, -i*1000003, i%3, i%256, 'a'+i%5, 'a'+(i+1)%5)
	}
	b.WriteString(`], "routeStatuses": []}`)
	doc := []byte(b.String())
	var got Changes
	if err := decodeChanges(doc, &got); err != nil {
		t.Fatal(err)
	}
	var want struct {
		Destinations []struct {
			Key         string
			Destination *Destination
		}
	}
	if err := json.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	for i := range doc { // nothing decoded points into the input
		doc[i] = 'X'
	}
	if len(got.Destinations) != len(want.Destinations) {
		t.Fatalf("%d destinations, want %d", len(got.Destinations), len(want.Destinations))
	}
	for i, w := range want.Destinations {
		g := got.Destinations[i]
		if g.Key != w.Key || !reflect.DeepEqual(g.Destination, w.Destination) {
			t.Fatalf("destination %d:\n got %q %+v\nwant %q %+v", i, g.Key, g.Destination, w.Key, w.Destination)
		}
	}
	for _, bad := range []string{
		fmt.Sprintf(`{"destinations": [{"destination": {"route": {"rule": %d}}}]}`, uint64(math.MaxInt)+1),
		`{"destinations": [{"destination": {"listeners": [{"port": 4294967296}]}}]}`,
		`{"destinations": [{"destination": {"listeners": [{"port": -1}]}}]}`,
		`{"destinations": [{"destination": {"listeners": [{"port": 1e3}]}}]}`,
		`{"destinations": [{"key": "unterminated}]}`,
	} {
		var c Changes
		if err := decodeChanges([]byte(bad), &c); err == nil {
			t.Errorf("%q decodes", bad)
		}
	}
	var c Changes
	if err := decodeChanges([]byte(fmt.Sprintf(`{"destinations": [{"destination": {"route": {"rule": %d}}}]}`, math.MinInt)), &c); err != nil ||
		c.Destinations[0].Destination.Route.Rule != math.MinInt {
		t.Errorf("the smallest int: %v %+v", err, c)
	}
}
