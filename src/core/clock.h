/* clock.h: time sources, in milliseconds.
 *
 * Code that decides waits (the rate limiter, retries) takes a time value
 * as an argument instead of calling these, so tests can drive it with a
 * fake clock.
 */
#ifndef HSM_CORE_CLOCK_H
#define HSM_CORE_CLOCK_H

#include <stdint.h>

int64_t clock_mono_ms(void); /* monotonic, for intervals */
int64_t clock_wall_ms(void); /* Unix epoch, for timestamps */
void clock_sleep_ms(int64_t ms);
/* Formats epoch ms as 2024-01-17T19:55:04.281Z into out (at least 25). */
void clock_format_iso(int64_t epoch_ms, char *out, unsigned long size);

#endif
