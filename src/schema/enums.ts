// Enums shared by several types.
import { Role } from '../generated/prisma/enums.js';
import { builder } from './builder.js';

export const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  description: "A user's role; it decides what they may read and write.",
});

export const OrderDirection = builder.enumType('OrderDirection', {
  values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const,
});
