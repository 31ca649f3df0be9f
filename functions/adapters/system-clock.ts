import type { Clock } from '../use-cases/ports/storage.ts';

/** The wall clock, read only through this port: tests and the demo hand the use cases their own. */
export const systemClock: Clock = () => new Date();
