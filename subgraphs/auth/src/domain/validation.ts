import { BadUserInputError } from "@urr/errors";

/**
 * Input rules for accounts. Each failure names the input field so a form can highlight it.
 */
export const LIMITS = {
  emailMax: 254,
  passwordMin: 8,
  passwordMax: 128,
  nameMax: 100,
} as const;

// Pragmatic: one @, no spaces, a dot in the domain. Deliverability is proven by sending mail, not regex.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^[0-9+\-() ]{7,20}$/;

export function normalizeEmail(raw: string, field = "email"): string {
  const email = raw.trim().toLowerCase();
  if (email.length === 0) throw new BadUserInputError("Email is required", field);
  if (email.length > LIMITS.emailMax) {
    throw new BadUserInputError(`Email must be at most ${LIMITS.emailMax} characters`, field);
  }
  if (!EMAIL.test(email)) throw new BadUserInputError("Email is not a valid address", field);
  return email;
}

export function checkNewPassword(password: string, field = "password"): void {
  if (password.length < LIMITS.passwordMin || password.length > LIMITS.passwordMax) {
    throw new BadUserInputError(
      `Password must be ${LIMITS.passwordMin} to ${LIMITS.passwordMax} characters`,
      field,
    );
  }
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) {
    throw new BadUserInputError("Password must contain at least one letter and one digit", field);
  }
}

export function normalizeName(raw: string, field = "name"): string {
  const name = raw.trim().replace(/\s+/g, " ");
  if (name.length === 0) throw new BadUserInputError("Name is required", field);
  if (name.length > LIMITS.nameMax) {
    throw new BadUserInputError(`Name must be at most ${LIMITS.nameMax} characters`, field);
  }
  return name;
}

export function normalizePhone(raw: string | null | undefined, field = "phone"): string | null {
  if (raw == null) return null;
  const phone = raw.trim();
  if (phone.length === 0) return null;
  if (!PHONE.test(phone)) {
    throw new BadUserInputError("Phone must be 7 to 20 digits, spaces or + - ( )", field);
  }
  return phone;
}

export interface RegistrationInput {
  email: string;
  password: string;
  name: string;
  phone?: string | null;
}

export function validateRegistration(input: RegistrationInput, prefix = "input") {
  const email = normalizeEmail(input.email, `${prefix}.email`);
  checkNewPassword(input.password, `${prefix}.password`);
  return {
    email,
    password: input.password,
    name: normalizeName(input.name, `${prefix}.name`),
    phone: normalizePhone(input.phone, `${prefix}.phone`),
  };
}
