/** The host CRM's collection types the caller may read in the Content Manager, as the admin pages choose from them (rules, identity, tickets). */

export interface HostField {
  name: string;
  /** Strapi attribute type: string, email, date, datetime, decimal, enumeration, relation, boolean… */
  type: string;
  /** Enumeration values. */
  enum?: string[];
  /** For relations: the related type and the relation kind (manyToOne, oneToMany…). */
  target?: string;
  relation?: string;
  required?: boolean;
}

export interface HostContentType {
  uid: string;
  displayName: string;
  singularName: string;
  draftAndPublish: boolean;
  /** Every non-private attribute the caller may read in the Content Manager; private ones (passwords, tokens) are never offered. */
  fields: HostField[];
  /** The field paths CRM-event rules may bind, as the settings limit them; null or absent: every non-private field. */
  notificationFields?: string[] | null;
}

export namespace ListHostContentTypes {
  export interface Response {
    data: HostContentType[];
  }
}

/** A CRM record a conversation can be started with: one of the identity sources, with a phone. */
export interface Recipient {
  /** The identity source's kind key and the app's own word for it. */
  kind: string;
  label: string;
  uid: string;
  documentId: string;
  name: string | null;
  phone: string;
}

export namespace SearchRecipients {
  /** `GET /whatsapp/host/recipients?q=` (at least 2 characters: part of a name or of a phone). */
  export interface Response {
    data: Recipient[];
  }
}
