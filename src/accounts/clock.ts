// The time accounts run on: a port, so tests can age sessions and links without waiting.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
