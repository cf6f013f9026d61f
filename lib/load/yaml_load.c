/*
 * YAML through libyaml events (docs/conventions.md, Input): every event goes
 * to the shared builder (builder.h) as soon as it is read, so limits stop
 * libyaml at the offending event (deep nesting never pays libyaml's
 * quadratic cost) and objects are handed over while the stream is read.
 *
 * Positions: libyaml marks are 0-based and count characters; the byte
 * offset of an event is found by walking a cursor over the UTF-8 text from
 * the previous event (linear overall). A UTF-8 byte order mark at the start
 * is skipped by libyaml without being counted. UTF-16 input is refused.
 *
 * Streams (rb__load_params.stream: a file or a pipe): libyaml reads through
 * a handler from a window of the input (instream.h) that keeps only the bytes
 * from the cursor on -- the last event's start, with its line and column --
 * so positions are found as in a buffer, and a position past the cursor (a
 * reader error, the end of the input, the size limit) is scanned from it. The
 * size limit is judged on the whole input, as when a file was read before it
 * was parsed: the handler gives libyaml at most input_bytes bytes, and after
 * an error the input is read on to its end (keeping it from the cursor on:
 * at most the limit) to see whether it is too long, in which case the limit
 * is the error; so is a failed read.
 *
 * Scalars: plain ones resolve as go-yaml v2 does (yaml_scalar.h); quoted and block
 * scalars are strings; the tags `!!str` and `!` make a plain scalar a string;
 * every other tag is ignored.
 *
 * Flow nesting: libyaml's scanner walks its whole stack of flow levels for
 * every token it reads, so its cost is tokens x flow depth (200,000 levels
 * of `[` took minutes). Flow collections (`[ ]`, `{ }`) may therefore nest
 * at most YAML_FLOW_DEPTH_MAX levels, whatever the depth limit (which bounds
 * block collections and JSON): refused at the event of the level past it,
 * libyaml has read at most one more line's worth of indicators (a possible
 * simple key is looked ahead 1024 characters) -- linear.
 *
 * Merge keys (`<<`): a plain `<<` key is flagged to the builder, which
 * applies the merge when the mapping is complete (merge.h).
 *
 * Anchors and aliases: with alias_expansion == 0, any alias is an error.
 * Otherwise, while an anchored node is open its events are recorded (in a
 * separate arena, so that the per-object rewinds do not touch them), each
 * anchor knows how many nodes it expands to (aliases inside counted at their
 * full size), every alias is charged that size against the budget before it
 * is expanded, and the expansion replays the recorded events into the
 * builder: an expanded node is a copy, with its own path, and with the
 * locations of the anchored original.
 */
#include <inttypes.h>
#include <string.h>
#include <yaml.h>

#include "core/map.h"
#include "load/builder.h"
#include "load/instream.h"
#include "load/load.h"
#include "load/text.h"

enum { REC_SCALAR = 1, REC_MAP, REC_SEQ, REC_END, REC_ALIAS };

/* The deepest flow nesting libyaml is given (the default depth limit: no document that loads
 * with the default limits is refused for it). */
enum { YAML_FLOW_DEPTH_MAX = 64 };

typedef struct yl_rec {
	uint8_t type;
	uint8_t stype;
	uint8_t flags; /* REC_SCALAR: RB_LD_MERGE_KEY */
	rb__ld_loc loc;
	const char *text; /* REC_SCALAR */
	size_t len;       /* REC_SCALAR: bytes; REC_ALIAS: the anchor index */
	uint64_t cum;     /* nodes expanded by the records up to and including this one */
} yl_rec;

typedef struct yl_anchor {
	const char *name;
	size_t start, end; /* its records [start, end) */
	uint64_t size;     /* nodes it expands to */
	bool done;
} yl_anchor;

typedef struct yl_open {
	size_t anchor;
	size_t depth; /* builder depth of the anchored collection */
} yl_open;

typedef struct yl_replay {
	size_t pos, end;
	rb__ld_loc at; /* the location of the alias: given to the first node replayed */
	bool first;
} yl_replay;

typedef struct yl {
	rb__ld b;
	const unsigned char *s; /* the text known: s[0] is byte s0, up to byte len */
	size_t s0;
	size_t len;
	bool eof;      /* len is the end of the input */
	size_t base;   /* bytes before libyaml's character 0 (a skipped BOM) */
	size_t ci, bi; /* cursor: character index ci starts at byte bi */
	uint32_t cline, ccol; /* the cursor's line and column (1-based) */
	/* a stream: the bytes given to libyaml, the size limit, and whether the input is past it */
	rb__instream *in;
	size_t fed;
	uint64_t limit;
	bool over;
	/* Bytes [base, ascii_end) are ASCII, so there characters are bytes. The
	 * scan goes forward as events need it (just behind libyaml's reads, while
	 * the text is in cache); once ascii_done, ascii_end is the first byte
	 * >= 0x80 (or len). */
	size_t ascii_end;
	bool ascii_done;
	size_t flow_depth; /* open flow collections (always the innermost ones) */
	/* aliases */
	uint64_t budget;
	uint64_t used;
	rb__arena aarena; /* recorded scalar text and anchor names */
	rb__vec rec;      /* yl_rec */
	rb__vec anchors;  /* yl_anchor */
	rb__vec open;     /* yl_open */
	rb__vec replay;   /* yl_replay */
	rb__map names;    /* anchor name -> anchor index + 1 */
} yl;

/* Byte i of the input (in the window). */
#define AT(y, i) ((y)->s[(i) - (y)->s0])

static uint32_t sat32(size_t v)
{
	return v >= UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Extend the ASCII prefix to cover byte `upto` (and a little beyond), or find its end. */
static void ascii_extend(yl *y, size_t upto)
{
	size_t stop = upto > y->len - 4096 || y->len < 4096 ? y->len : upto + 4096;
	size_t e = y->ascii_end;
	/* 32 bytes a step while they are all ASCII, then 8 to find where they stop. */
	while (stop - e >= 32) {
		uint64_t w[4];
		memcpy(w, y->s + (e - y->s0), 32);
		if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull)
			break;
		e += 32;
	}
	while (stop - e >= 8) {
		uint64_t w;
		memcpy(&w, y->s + (e - y->s0), 8);
		if (w & 0x8080808080808080ull)
			break;
		e += 8;
	}
	while (e < stop && AT(y, e) < 0x80)
		e++;
	y->ascii_end = e;
	if (e < stop || (e == y->len && y->eof))
		y->ascii_done = true;
}

/* The byte offset of libyaml character index idx. */
static size_t byte_of(yl *y, size_t idx)
{
	if (!y->ascii_done && idx > y->ascii_end - y->base)
		ascii_extend(y, y->base + idx);
	/* Where everything before is ASCII, character index and byte offset agree. */
	if (idx <= y->ascii_end - y->base) {
		y->ci = idx;
		y->bi = y->base + idx;
		return y->bi;
	}
	if (y->ci < y->ascii_end - y->base) {
		y->ci = y->ascii_end - y->base;
		y->bi = y->ascii_end;
	}
	/* ASCII runs 8 bytes at a time: one character per byte (most of any manifest). */
	while (idx > y->ci && idx - y->ci >= 8 && y->len - y->bi >= 8) {
		uint64_t w;
		memcpy(&w, y->s + (y->bi - y->s0), 8);
		if (w & 0x8080808080808080ull)
			break;
		y->bi += 8;
		y->ci += 8;
	}
	while (y->ci < idx && y->bi < y->len) {
		unsigned char c = AT(y, y->bi);
		size_t k = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		y->bi += k;
		y->ci++;
	}
	/* (Marks come in order: in a stream, the bytes before the cursor are gone.) */
	while (y->ci > idx && y->bi > y->base && y->bi > y->s0) {
		y->bi--;
		while (y->bi > y->base && y->bi > y->s0 && (AT(y, y->bi) & 0xC0) == 0x80)
			y->bi--;
		y->ci--;
	}
	if (y->bi > y->len)
		y->bi = y->len;
	return y->bi;
}

/* Where the cursor is: the last event's start. */
static rb__ld_loc cursor(const yl *y)
{
	rb__ld_loc at = {y->cline, y->ccol, y->bi};
	return at;
}

/* Line and column of byte off (a reader error's, the end's): from the start of a buffer, from
 * the cursor in a stream, whose bytes before it are gone. */
static rb__ld_loc text_loc(const yl *y, const rb__ld_loc *from, size_t off)
{
	if (!y->in)
		return rb__text_loc(y->s, y->len, off, true);
	rb__ld_loc loc = rb__text_scan(y->s, y->s0, y->len, *from, off, true);
	loc.offset = off;
	return loc;
}

static __attribute__((noinline)) rb__ld_loc loc_slow(yl *y, const yaml_mark_t *mp)
{
	yaml_mark_t m = *mp;
	rb__ld_loc loc, from = cursor(y);
	loc.line = sat32(m.line + 1);
	loc.column = sat32(m.column + 1);
	loc.offset = byte_of(y, m.index);
	/* At the end of an input without a final line break, libyaml moves its
	 * mark to column 0 of a line that does not exist: report the end of the
	 * last line instead (found by fuzz_yaml). */
	if (m.column == 0 && loc.offset == y->len && y->eof && y->len > y->base) {
		rb__ld_loc end = text_loc(y, &from, y->len);
		if (end.line != loc.line)
			loc = end;
	}
	y->cline = loc.line;
	y->ccol = loc.column;
	return loc;
}

/* Where a mark is; inline for the usual case: ASCII text so far, not at the end. */
static inline rb__ld_loc loc_of(yl *y, const yaml_mark_t *m)
{
	if (m->index < y->ascii_end - y->base && m->line < UINT32_MAX && m->column < UINT32_MAX) {
		rb__ld_loc loc = {(uint32_t)m->line + 1, (uint32_t)m->column + 1, y->base + m->index};
		if (y->in) { /* a stream keeps its window from the cursor on */
			y->ci = m->index;
			y->bi = loc.offset;
			y->cline = loc.line;
			y->ccol = loc.column;
		}
		return loc;
	}
	return loc_slow(y, m);
}

/* ---- errors from libyaml ---- */

static int syntax_error(yl *y, const yaml_parser_t *p)
{
	rb__ld *b = &y->b;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return b->err = RB_ENOMEM;
	case YAML_READER_ERROR: {
		rb__ld_loc from = cursor(y);
		rb__ld_loc loc = text_loc(y, &from, p->problem_offset);
		if (p->problem_value >= 0)
			return rb__ld_fail_nopath(b, RB_EPARSE, loc, "%s (0x%X)", problem,
			                          (unsigned)p->problem_value);
		return rb__ld_fail_nopath(b, RB_EPARSE, loc, "%s", problem);
	}
	default:
		break;
	}
	rb__ld_loc loc = loc_of(y, &p->problem_mark);
	if (p->context && (p->context_mark.line != p->problem_mark.line ||
	                   p->context_mark.column != p->problem_mark.column))
		return rb__ld_fail_nopath(
		    b, RB_EPARSE, loc, "%s (%s at line %" PRIu32 ", column %" PRIu32 ")", problem,
		    p->context, sat32(p->context_mark.line + 1), sat32(p->context_mark.column + 1));
	if (p->context)
		return rb__ld_fail_nopath(b, RB_EPARSE, loc, "%s (%s)", problem, p->context);
	return rb__ld_fail_nopath(b, RB_EPARSE, loc, "%s", problem);
}

/* ---- anchors and aliases ---- */

static bool recording(const yl *y)
{
	return y->open.len > 0;
}

static yl_rec *rec_at(yl *y, size_t i)
{
	return &RB_VEC_AT(&y->rec, yl_rec, i);
}

static yl_anchor *anchor_at(yl *y, size_t i)
{
	return &RB_VEC_AT(&y->anchors, yl_anchor, i);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int record(yl *y, uint8_t type, uint8_t stype, rb__ld_loc loc, const char *text, size_t len,
                  uint64_t nodes)
{
	uint64_t prev = y->rec.len ? rec_at(y, y->rec.len - 1)->cum : 0;
	yl_rec *r = rb__vec_push(y->b.mem, &y->rec, sizeof(yl_rec));
	if (!r)
		return y->b.err = RB_ENOMEM;
	r->type = type;
	r->stype = stype;
	r->loc = loc;
	r->len = len;
	r->cum = sat_add(prev, nodes);
	if (type == REC_SCALAR) {
		r->text = rb__arena_strndup(&y->aarena, text, len);
		if (!r->text)
			return y->b.err = RB_ENOMEM;
	}
	return RB_OK;
}

static uint64_t range_size(yl *y, size_t start, size_t end)
{
	if (end <= start)
		return 0;
	uint64_t before = start ? rec_at(y, start - 1)->cum : 0;
	return rec_at(y, end - 1)->cum - before;
}

/* A new anchor whose records start at the next record. */
static int anchor_new(yl *y, const char *name, size_t *out)
{
	size_t n = strlen(name);
	char *copy = rb__arena_strndup(&y->aarena, name, n);
	yl_anchor *a = copy ? rb__vec_push(y->b.mem, &y->anchors, sizeof(yl_anchor)) : NULL;
	if (!a)
		return y->b.err = RB_ENOMEM;
	a->name = copy;
	a->start = y->rec.len;
	*out = y->anchors.len - 1;
	/* The latest definition of a name wins. */
	if (!rb__map_put(&y->names, copy, n, (void *)(uintptr_t)(*out + 1)))
		return y->b.err = RB_ENOMEM;
	return RB_OK;
}

static void anchor_close(yl *y, size_t idx)
{
	yl_anchor *a = anchor_at(y, idx);
	a->end = y->rec.len;
	a->size = range_size(y, a->start, a->end);
	a->done = true;
}

static void anchors_reset(yl *y, rb__arena_mark mark)
{
	y->rec.len = 0;
	y->anchors.len = 0;
	y->open.len = 0;
	if (y->names.len) {
		rb__map_free(&y->names);
		rb__map_init(&y->names, y->b.mem);
	}
	rb__arena_rewind(&y->aarena, mark);
}

/*
 * Replay the records of an anchor into the builder. The expanded node
 * starts where its alias is; the nodes inside keep the locations of the
 * anchored original.
 */
static int replay(yl *y, const yl_anchor *a, rb__ld_loc at)
{
	rb__ld *b = &y->b;
	size_t base = y->replay.len;
	yl_replay *fr = rb__vec_push(b->mem, &y->replay, sizeof(yl_replay));
	if (!fr)
		return b->err = RB_ENOMEM;
	fr->pos = a->start;
	fr->end = a->end;
	fr->at = at;
	fr->first = true;
	int rc = RB_OK;
	while (!rc && y->replay.len > base) {
		fr = &RB_VEC_AT(&y->replay, yl_replay, y->replay.len - 1);
		if (fr->pos == fr->end) {
			y->replay.len--;
			continue;
		}
		const yl_rec *r = rec_at(y, fr->pos++);
		rb__ld_loc loc = fr->first ? fr->at : r->loc;
		fr->first = false;
		switch (r->type) {
		case REC_SCALAR:
			rc = rb__ld_scalar_flags(b, r->text, r->len, (rb__scalar_type)r->stype, loc,
			                         r->flags);
			break;
		case REC_MAP:
			rc = rb__ld_begin(b, RB_NODE_MAP, loc);
			break;
		case REC_SEQ:
			rc = rb__ld_begin(b, RB_NODE_SEQ, loc);
			break;
		case REC_END:
			rc = rb__ld_end(b);
			break;
		default: {
			const yl_anchor *t = anchor_at(y, r->len);
			yl_replay *nf = rb__vec_push(b->mem, &y->replay, sizeof(yl_replay));
			if (!nf)
				return b->err = RB_ENOMEM;
			nf->pos = t->start;
			nf->end = t->end;
			nf->at = r->loc;
			nf->first = true;
			break;
		}
		}
	}
	y->replay.len = base;
	return rc;
}

static int on_alias(yl *y, const yaml_event_t *ev)
{
	rb__ld *b = &y->b;
	const char *name = (const char *)ev->data.alias.anchor;
	size_t nlen = strlen(name);
	int shown = (int)rb__ld_clip(name, nlen, 100);
	rb__ld_loc loc = loc_of(y, &ev->start_mark);
	if (y->budget == 0)
		return rb__ld_fail(b, RB_ELIMIT, loc, "aliases are not allowed (anchor \"%.*s\")",
		                   shown, name);
	void *v = rb__map_get(&y->names, name, nlen);
	if (!v)
		return rb__ld_fail(b, RB_EPARSE, loc, "unknown anchor \"%.*s\"", shown, name);
	size_t idx = (size_t)(uintptr_t)v - 1;
	yl_anchor *a = anchor_at(y, idx);
	if (!a->done)
		return rb__ld_fail(b, RB_EPARSE, loc,
		                   "alias of anchor \"%.*s\" inside the node it names", shown,
		                   name);
	if (a->size > y->budget - y->used)
		return rb__ld_fail(b, RB_ELIMIT, loc,
		                   "aliases expand to more than %" PRIu64
		                   " nodes (anchor \"%.*s\")",
		                   y->budget, shown, name);
	y->used += a->size;
	if (recording(y)) {
		int rc = record(y, REC_ALIAS, 0, loc, NULL, idx, a->size);
		if (rc)
			return rc;
	}
	yl_anchor copy = *a; /* replay may grow the anchors vector */
	return replay(y, &copy, loc);
}

/* ---- events ---- */

static bool is_str_tag(const yaml_char_t *tag)
{
	const char *t = (const char *)tag;
	return strcmp(t, "tag:yaml.org,2002:str") == 0 || strcmp(t, "!") == 0;
}

static int on_scalar(yl *y, const yaml_event_t *ev)
{
	const char *text = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	rb__scalar_type type = RB_SCALAR_STRING;
	bool anchored = ev->data.scalar.anchor != NULL;
	/* A key's type does not matter (unless it is recorded for an alias, which
	 * may make it a value elsewhere). libyaml only gives a tag that is written;
	 * it marks `!` as plain_implicit. */
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	             !(ev->data.scalar.tag && is_str_tag(ev->data.scalar.tag));
	bool is_key = rb__ld_want_key(&y->b);
	if (plain && (anchored || recording(y) || !is_key))
		type = rb__yaml_resolve_plain(text, len);
	rb__ld_loc loc = loc_of(y, &ev->start_mark);
	/* The reader refuses NUL bytes in the text; only an escape in a double-quoted
	 * scalar ("\0", "\x00", "\u0000") makes one. */
	unsigned flags = ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ? 0 : RB_LD_NO_NUL;
	/* A plain key that go-yaml reads as a number or a boolean is the text
	 * sigs.k8s.io/yaml makes of it (`yes:` is "true", `010:` is "8"). */
	char key[64];
	if (plain && is_key && len && len <= RB_YAML_NUMBER_MAX &&
	    rb__yaml_key_may_change(text, len)) {
		size_t klen = rb__yaml_go_key(text, len, key, sizeof key);
		if (klen) {
			text = key;
			len = klen;
		}
	}
	/* A plain `<<` key is the merge key (go-yaml: implicit, not tagged !!str). */
	unsigned merge =
	    plain && is_key && len == 2 && text[0] == '<' && text[1] == '<' ? RB_LD_MERGE_KEY : 0;
	int rc = is_key ? rb__ld_key(&y->b, text, len, loc, flags | merge)
	                : rb__ld_value(&y->b, text, len, type, loc, flags);
	if (rc || y->budget == 0)
		return rc;
	size_t idx = 0;
	if (anchored && (rc = anchor_new(y, (const char *)ev->data.scalar.anchor, &idx)))
		return rc;
	if (anchored || recording(y)) {
		rc = record(y, REC_SCALAR, (uint8_t)type, loc, text, len, 1);
		if (rc)
			return rc;
		rec_at(y, y->rec.len - 1)->flags = (uint8_t)merge;
	}
	if (anchored)
		anchor_close(y, idx);
	return RB_OK;
}

/* Inline in on_event: a collection starts at every other event or so. */
static inline __attribute__((always_inline)) int on_start(yl *y, const yaml_event_t *ev,
                                                          rb__node_kind kind,
                                                          const yaml_char_t *anchor, bool flow)
{
	rb__ld_loc loc = loc_of(y, &ev->start_mark);
	if (flow && ++y->flow_depth > YAML_FLOW_DEPTH_MAX && !y->b.err)
		return rb__ld_fail(&y->b, RB_ELIMIT, loc,
		                   "flow collections ([ ] and { }) nested deeper than %d levels, the "
		                   "fixed limit of YAML flow nesting (block collections nest up to "
		                   "the depth limit)",
		                   YAML_FLOW_DEPTH_MAX);
	int rc = rb__ld_begin(&y->b, kind, loc);
	if (rc || y->budget == 0)
		return rc;
	if (anchor) {
		size_t idx;
		if ((rc = anchor_new(y, (const char *)anchor, &idx)))
			return rc;
		yl_open *o = rb__vec_push(y->b.mem, &y->open, sizeof(yl_open));
		if (!o)
			return y->b.err = RB_ENOMEM;
		o->anchor = idx;
		o->depth = rb__ld_depth(&y->b);
	}
	if (recording(y))
		return record(y, kind == RB_NODE_MAP ? REC_MAP : REC_SEQ, 0, loc, NULL, 0, 1);
	return RB_OK;
}

static int on_end(yl *y)
{
	if (y->flow_depth) /* inside flow context every collection is a flow one */
		y->flow_depth--;
	if (y->budget && recording(y)) {
		rb__ld_loc none = {0, 0, 0};
		int rc = record(y, REC_END, 0, none, NULL, 0, 0);
		if (rc)
			return rc;
		yl_open *o = &RB_VEC_AT(&y->open, yl_open, y->open.len - 1);
		if (o->depth == rb__ld_depth(&y->b)) {
			anchor_close(y, o->anchor);
			y->open.len--;
		}
	}
	return rb__ld_end(&y->b);
}

static int on_event(yl *y, const yaml_event_t *ev, rb__arena_mark amark)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		return rb__ld_doc_begin(&y->b, loc_of(y, &ev->start_mark));
	case YAML_DOCUMENT_END_EVENT:
		anchors_reset(y, amark);
		return rb__ld_doc_end(&y->b);
	case YAML_ALIAS_EVENT:
		return on_alias(y, ev);
	case YAML_SCALAR_EVENT:
		return on_scalar(y, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(y, ev, RB_NODE_SEQ, ev->data.sequence_start.anchor,
		                ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
	case YAML_MAPPING_START_EVENT:
		return on_start(y, ev, RB_NODE_MAP, ev->data.mapping_start.anchor,
		                ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(y);
	default:
		return RB_OK;
	}
}

/* ---- streams ---- */

/* The window as the stream has it now. */
static void stream_sync(yl *y)
{
	y->s = y->in->data ? y->in->data : (const void *)"";
	y->s0 = (size_t)y->in->start;
	y->len = (size_t)y->in->end;
	y->eof = y->in->eof;
}

/*
 * libyaml's read handler: 1 with *got bytes (0 at the end), 0 on a failure or past the limit.
 * It gives as many bytes as asked, as libyaml's own string handler does, however the input
 * comes (a pipe's short reads): libyaml decodes its raw buffer whole at each refill, so where
 * the refills fall decides whether a reader error (ill-formed UTF-8) is found before a syntax
 * error earlier in the text.
 */
static int stream_read(void *data, unsigned char *buf, size_t size, size_t *got)
{
	yl *y = data;
	*got = 0;
	/* Keep the text from the cursor on, and what libyaml has not had yet (a byte order mark
	 * is behind the first cursor). */
	size_t keep = y->bi < y->fed ? y->bi : y->fed;
	while (y->len - y->fed < size && rb__instream_fill(y->in, keep))
		stream_sync(y);
	stream_sync(y);
	if (rb__instream_failed(y->in))
		return 0;
	if (y->fed == y->len)
		return 1; /* the end of the input */
	if (y->fed >= y->limit) {
		y->over = true;
		return 0;
	}
	size_t n = y->len - y->fed;
	if (n > size)
		n = size;
	if (n > y->limit - y->fed)
		n = (size_t)(y->limit - y->fed);
	memcpy(buf, y->s + (y->fed - y->s0), n);
	y->fed += n;
	*got = n;
	return 1;
}

/*
 * After the parse of a stream: a failed read, then an input past the limit,
 * is the error (all the parse's diagnostics since ndiag go), as when the
 * input was read whole before it was parsed.
 */
static int stream_finish(yl *y, const rb__load_params *p, size_t ndiag, int rc)
{
	rb__instream *in = y->in;
	/* After an error, the rest of the input still decides the limit; 3 bytes past it tell
	 * the code point or line break at it. */
	while (!in->eof && !rb__instream_failed(in) &&
	       (rc != RB_OK || y->over) && (in->end <= y->limit || in->end - y->limit < 4)) {
		rb__instream_fill(in, y->bi);
		stream_sync(y);
	}
	if (rb__instream_failed(in)) {
		p->diags->items.len = ndiag;
		if (in->nomem) {
			rb__diag_add(p->diags, RB_ENOMEM, p->source, 0, 0, 0, "", "%s",
			             rb_strerror(RB_ENOMEM));
			return RB_ENOMEM;
		}
		rb__diag_add(p->diags, RB_EIO, p->source, 0, 0, 0, "", "read error: %s",
		             strerror(in->error));
		return RB_EIO;
	}
	if (in->end > y->limit) {
		p->diags->items.len = ndiag;
		rb__ld_loc from = cursor(y);
		rb__ld_loc loc = rb__text_scan(y->s, y->s0, y->len, from, (size_t)y->limit, true);
		rb__diag_add(p->diags, RB_ELIMIT, p->source, loc.line, loc.column, y->limit, "",
		             "input is larger than the limit of %" PRIu64 " bytes", y->limit);
		return RB_ELIMIT;
	}
	return rc;
}

static int load_yaml(const rb__load_params *params, rb__instream *stream, const rb__sink *sink)
{
	rb__load_params p;
	rb__limits limits;
	rb__mem mem;
	int rc = rb__ld_prepare(&p, params, &limits, &mem);
	if (rc)
		return rc;

	yl y;
	memset(&y, 0, sizeof y);
	rb__ld_init(&y.b, &p, sink);
	y.b.yaml = true;
	y.s = p.buf ? p.buf : (const void *)"";
	y.len = p.len;
	y.eof = true;
	size_t ndiag = p.diags ? rb__diags_count(p.diags) : 0;
	if (stream) {
		y.in = stream;
		y.limit = p.limits->input_bytes;
		/* The first bytes tell a byte order mark. */
		while (y.in->end < 3 && rb__instream_fill(y.in, 0))
			;
		stream_sync(&y);
	}
	y.cline = y.ccol = 1;
	y.budget = p.limits->alias_expansion;
	rb__arena_init(&y.aarena, p.mem);
	rb__map_init(&y.names, p.mem);
	y.rec = y.anchors = y.open = y.replay = (rb__vec)RB_VEC_INIT;

	if (y.len >= 2 &&
	    ((y.s[0] == 0xFF && y.s[1] == 0xFE) || (y.s[0] == 0xFE && y.s[1] == 0xFF))) {
		rb__ld_loc first = {1, 1, 0};
		rc = rb__ld_fail_nopath(&y.b, RB_EPARSE, first,
		                        "UTF-16 input is not supported: expected UTF-8");
		goto out;
	}
	if (rb__has_bom(y.s, y.len))
		y.base = y.bi = 3;
	y.ascii_end = y.base;
	y.ascii_done = y.base >= y.len && y.eof;

	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		rc = RB_ENOMEM;
		goto out;
	}
	if (y.in)
		yaml_parser_set_input(&parser, stream_read, &y);
	else
		yaml_parser_set_input_string(&parser, y.s, y.len);
	rb__arena_mark amark = rb__arena_get_mark(&y.aarena);
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = syntax_error(&y, &parser);
			break;
		}
		rc = on_event(&y, &ev, amark);
		bool end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (rc || end)
			break;
	}
	yaml_parser_delete(&parser);
out:
	if (y.in)
		rc = stream_finish(&y, &p, ndiag, rc);
	rb__ld_free(&y.b);
	rb__arena_free(&y.aarena);
	rb__map_free(&y.names);
	rb__vec_free(p.mem, &y.rec);
	rb__vec_free(p.mem, &y.anchors);
	rb__vec_free(p.mem, &y.open);
	rb__vec_free(p.mem, &y.replay);
	return rc;
}

int rb__load_yaml(const rb__load_params *p, const rb__sink *sink)
{
	return load_yaml(p, NULL, sink);
}

int rb__load_yaml_stream(const rb__load_params *p, rb__instream *stream, const rb__sink *sink)
{
	return load_yaml(p, stream, sink);
}
