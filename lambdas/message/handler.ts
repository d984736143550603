// Placeholder: the real handler is being written.
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });
