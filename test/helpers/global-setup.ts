// Replaced shortly by the database bootstrap (embedded PostgreSQL + migrated template).
export default async function setup(): Promise<void> {}
