package replay

// TopCapacity is how many distinct values a top list keeps, for the
// external tests.
const TopCapacity = topCapacity
