import type { ImportField, ImportTarget } from '../../contract/transfer';
import { importFields } from '../../contract/transfer';
import { foldForSearch } from '../../contract/normalize';

/** A header as compared: no accents, lower case, punctuation as spaces ("Razón social:" → "razon social"). */
export function foldHeader(header: string): string {
  return foldForSearch(header)
    .replace(/[%#º°]/g, (c) => (c === '%' ? ' percent ' : ' '))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// Names spreadsheets from other tools use for each field, in English and Spanish, already folded. Order
// matters only within a field: the first exact hit wins.
const synonyms: Record<ImportTarget, Partial<Record<ImportField, string[]>>> = {
  clients: {
    companyName: [
      'company name', 'company', 'client', 'client name', 'customer', 'customer name', 'account', 'account name', 'business name',
      'organization', 'organisation', 'organization name', 'legal name', 'empresa', 'nombre empresa', 'nombre de la empresa',
      'razon social', 'cliente', 'nombre cliente', 'nombre del cliente', 'compania', 'organizacion', 'denominacion social', 'nombre comercial', 'name', 'nombre',
    ],
    email: ['email', 'e mail', 'mail', 'email address', 'company email', 'correo', 'correo electronico', 'email empresa', 'correo empresa', 'direccion de correo'],
    area: ['area', 'business area', 'sector', 'industry', 'vertical', 'area de negocio', 'industria', 'rubro', 'sector de actividad', 'actividad'],
    phone: ['phone', 'telephone', 'phone number', 'tel', 'company phone', 'phone 1', 'main phone', 'telefono', 'tfno', 'telefono empresa', 'numero de telefono', 'telefono 1'],
    country: ['country', 'country region', 'country name', 'country code', 'nation', 'pais', 'nacion', 'pais region', 'codigo pais', 'codigo de pais'],
    website: ['website', 'web', 'web site', 'site', 'url', 'homepage', 'domain', 'sitio web', 'pagina web', 'dominio', 'web empresa'],
    comments: ['comments', 'comment', 'notes', 'note', 'remarks', 'description', 'comentarios', 'observaciones', 'notas', 'descripcion'],
    status: ['status', 'state', 'estado', 'situacion'],
    owner: ['owner', 'account owner', 'account manager', 'responsible', 'assigned to', 'sales rep', 'propietario', 'responsable', 'gestor', 'comercial', 'asignado a', 'ejecutivo de cuenta'],
    // Not a bare "created" or "since": "Created by" holds a name, and our own export's "Created" is this app's date.
    clientSince: [
      'client since', 'customer since', 'account since', 'subscription date', 'signup date', 'sign up date', 'start date', 'date created', 'created date',
      'create date', 'creation date', 'created on', 'date added', 'cliente desde', 'fecha de alta', 'fecha alta', 'alta cliente', 'fecha de creacion',
      'fecha creacion', 'fecha de inicio', 'fecha inicio', 'fecha de suscripcion', 'fecha suscripcion',
    ],
    defaultFeePercent: ['fee', 'fee percent', 'percent fee', 'default fee', 'fee percent default', 'honorarios', 'honorarios percent', 'comision', 'comision percent', 'fee percent honorarios'],
    defaultGuaranteeDays: ['guarantee', 'guarantee days', 'guarantee period', 'garantia', 'dias garantia', 'dias de garantia', 'garantia dias'],
    defaultPaymentTermsDays: ['payment terms', 'payment terms days', 'payment days', 'terms', 'plazo de pago', 'plazo pago', 'dias de pago', 'condiciones de pago', 'forma de pago dias'],
    contactName: ['contact', 'contact name', 'contact person', 'primary contact', 'main contact', 'contacto', 'nombre contacto', 'nombre del contacto', 'persona de contacto', 'contacto principal'],
    contactRole: ['contact role', 'contact title', 'role', 'job title', 'position', 'title', 'cargo', 'puesto', 'cargo contacto', 'puesto contacto'],
    contactEmail: ['contact email', 'contact e mail', 'email contacto', 'correo contacto', 'email del contacto', 'correo del contacto'],
    contactPhone: ['contact phone', 'mobile', 'cell', 'telefono contacto', 'movil', 'celular', 'telefono del contacto', 'movil contacto'],
  },
  contacts: {
    client: ['client', 'client code', 'code', 'company', 'company name', 'customer', 'account', 'cliente', 'codigo', 'codigo cliente', 'empresa', 'razon social', 'client email'],
    name: ['name', 'full name', 'contact', 'contact name', 'person', 'nombre', 'nombre completo', 'contacto', 'nombre contacto', 'persona'],
    role: ['role', 'title', 'job title', 'position', 'cargo', 'puesto', 'rol'],
    email: ['email', 'e mail', 'mail', 'email address', 'correo', 'correo electronico'],
    phone: ['phone', 'telephone', 'mobile', 'tel', 'telefono', 'movil', 'celular'],
    country: ['country', 'country region', 'country code', 'pais', 'codigo pais'],
    isPrimary: ['primary', 'is primary', 'main contact', 'primary contact', 'principal', 'contacto principal', 'es principal'],
    notes: ['notes', 'note', 'comments', 'notas', 'comentarios', 'observaciones'],
  },
  candidates: {
    fullName: ['full name', 'name', 'candidate', 'candidate name', 'applicant', 'applicant name', 'person', 'nombre', 'nombre completo', 'candidato', 'nombre candidato', 'nombre del candidato', 'apellidos y nombre', 'nombre y apellidos'],
    email: ['email', 'e mail', 'mail', 'email address', 'personal email', 'correo', 'correo electronico', 'email personal'],
    phone: ['phone', 'telephone', 'mobile', 'cell', 'phone number', 'tel', 'telefono', 'movil', 'celular', 'numero de telefono'],
    country: ['country', 'country code', 'pais', 'codigo pais'],
    location: ['location', 'city', 'town', 'based in', 'residence', 'ubicacion', 'ciudad', 'localidad', 'residencia', 'provincia'],
    currentTitle: ['current title', 'title', 'job title', 'position', 'current position', 'role', 'headline', 'puesto', 'puesto actual', 'cargo', 'cargo actual', 'titulo'],
    currentCompany: ['current company', 'company', 'employer', 'current employer', 'organization', 'organisation', 'empresa', 'empresa actual', 'empleador'],
    source: ['source', 'origin', 'channel', 'lead source', 'fuente', 'origen', 'canal'],
    tags: ['tags', 'tag', 'skills', 'keywords', 'labels', 'etiquetas', 'etiqueta', 'habilidades', 'competencias', 'palabras clave'],
    owner: ['owner', 'recruiter', 'assigned to', 'responsible', 'consultant', 'reclutador', 'responsable', 'consultor', 'asignado a'],
    notes: ['notes', 'note', 'comments', 'summary', 'notas', 'comentarios', 'observaciones', 'resumen'],
  },
};

/**
 * Guesses which field each column fills from its header. Exact names first, the most specific name
 * winning ("Empresa" takes the company over a "Nombre" column); then a header that contains a field's
 * name ("Email de facturación" → email). Each field is used once; a column nothing claims is ignored
 * (null), never forced into a field.
 */
export function guessMapping(headers: string[], target: ImportTarget): (ImportField | null)[] {
  const folded = headers.map(foldHeader);
  const mapping: (ImportField | null)[] = headers.map(() => null);
  const used = new Set<ImportField>();
  const fields = importFields[target] as readonly ImportField[];
  const claim = (column: number, field: ImportField) => {
    mapping[column] = field;
    used.add(field);
  };

  const exact = folded
    .flatMap((header, column) => fields.map((field) => ({ column, field, rank: synonyms[target][field]?.indexOf(header) ?? -1 })))
    .filter((hit) => hit.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.column - b.column);
  for (const { column, field } of exact) if (!mapping[column] && !used.has(field)) claim(column, field);
  for (const [column, header] of folded.entries()) {
    if (mapping[column] || !header) continue;
    const words = ` ${header} `;
    // Longer names first, so "contact email" wins over "email" for "Contact email address".
    const candidates = fields
      .filter((f) => !used.has(f))
      .flatMap((f) => (synonyms[target][f] ?? []).filter((s) => s.length >= 4).map((s) => ({ f, s })))
      .sort((a, b) => b.s.length - a.s.length);
    const hit = candidates.find(({ s }) => words.includes(` ${s} `));
    if (hit) claim(column, hit.f);
  }
  return mapping;
}
