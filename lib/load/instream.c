/* Input read from a file descriptor a window at a time (instream.h). */
#define _POSIX_C_SOURCE 200809L /* read, fstat, ssize_t */
#include "load/instream.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One read: as much as libyaml's reader asks at a time, four times over. */
enum { CHUNK = 64 << 10 };

void rb__instream_init(rb__instream *s, int fd, const rb__mem *mem)
{
	memset(s, 0, sizeof *s);
	s->fd = fd;
	s->mem = mem;
	s->chunk = CHUNK;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		s->regular = true;
		s->size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
	}
}

void rb__instream_free(rb__instream *s)
{
	rb__free(s->mem, s->data);
	s->data = NULL;
	s->cap = 0;
}

/* Room for `want` more bytes after the window's end. */
static bool reserve(rb__instream *s, size_t want)
{
	size_t used = (size_t)(s->end - s->start);
	if (s->cap - used >= want)
		return true;
	size_t cap = s->cap ? s->cap : CHUNK;
	while (cap - used < want) {
		if (cap > SIZE_MAX / 2) {
			s->nomem = true;
			return false;
		}
		cap *= 2;
	}
	unsigned char *grown = rb__realloc(s->mem, s->data, cap);
	if (!grown) {
		s->nomem = true;
		return false;
	}
	s->data = grown;
	s->cap = cap;
	return true;
}

/* Read once into the room after the window's end (at most `room` bytes). */
static size_t read_more(rb__instream *s, size_t room)
{
	size_t used = (size_t)(s->end - s->start);
	if (s->chunk && room > s->chunk)
		room = s->chunk;
	for (;;) {
		ssize_t n = read(s->fd, s->data + used, room);
		if (n > 0) {
			s->end += (uint64_t)n;
			return (size_t)n;
		}
		if (n == 0) {
			s->eof = true;
			return 0;
		}
		if (errno != EINTR) {
			s->error = errno ? errno : EIO;
			return 0;
		}
	}
}

size_t rb__instream_fill(rb__instream *s, uint64_t keep)
{
	if (s->eof || rb__instream_failed(s))
		return 0;
	if (keep > s->start) {
		size_t drop = (size_t)((keep < s->end ? keep : s->end) - s->start);
		memmove(s->data, s->data + drop, (size_t)(s->end - s->start) - drop);
		s->start += drop;
	}
	if (!reserve(s, CHUNK))
		return 0;
	return read_more(s, s->cap - (size_t)(s->end - s->start));
}

bool rb__instream_slurp(rb__instream *s, uint64_t limit)
{
	/* A regular file's size, plus one byte to see its end in one read. */
	if (s->regular && s->size >= s->end && s->size - s->end < SIZE_MAX - CHUNK &&
	    s->size <= limit && !reserve(s, (size_t)(s->size - s->end) + 1))
		return false;
	while (s->end - s->start <= limit && !s->eof) {
		size_t room = s->cap - (size_t)(s->end - s->start);
		if (!room && !reserve(s, CHUNK))
			break;
		if (!read_more(s, s->cap - (size_t)(s->end - s->start)))
			break;
	}
	return !rb__instream_failed(s);
}
