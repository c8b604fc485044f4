// Test helpers shipped for users' own tests: the TEST PKI generator lives here.
export {};
