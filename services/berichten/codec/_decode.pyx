# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The decoding pass of berichten.codec.mapping, compiled: libxml2's nodes -> the typed model.

Compiled by `make gen` (scripts/build_ext.py; never committed). It walks libxml2's tree directly
(the node structs lxml exposes to C), so no lxml proxy object is made for any element, and makes the
model's objects without running their Python `__init__`. What to read is a plan per model class that
mapping.py works out from the dataclasses (`Klasse`, `Veld`); this module knows nothing of the
i-Standaard itself.

The document satisfied its XSD and the parser dropped comments and processing instructions, so an
element's children are its class's fields in sequence order, each at most once: each field is the
next child when their names agree, and otherwise absent. A required field that is absent, or a child
left over, raises TypeError (the message did not satisfy the XSD, or the model and the XSD disagree).
"""

from cpython.datetime cimport date_new, import_datetime
from cpython.object cimport PyObject
from libc.string cimport strcmp, strlen
from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Element, import_lxml__etree

from datetime import date as _date


cdef extern from *:
    """
    #include <structmember.h>

    /* A new, empty instance of a class with __slots__: what object.__new__(cls) does, without its checks. */
    static PyObject* zk_nieuw(PyObject* cls) {
        PyTypeObject* type = (PyTypeObject*)cls;
        return type->tp_alloc(type, 0);
    }

    /* The place of an object slot in its instances, from the slot's member descriptor; -1 for anything else. */
    static Py_ssize_t zk_plaats(PyObject* descr) {
        if (Py_TYPE(descr) != &PyMemberDescr_Type) return -1;
        PyMemberDef* member = ((PyMemberDescrObject*)descr)->d_member;
        if (member->type != T_OBJECT_EX || (member->flags & READONLY)) return -1;
        return member->offset;
    }

    /* What setting that slot does (PyMember_SetOne for T_OBJECT_EX), without looking the name up. */
    static void zk_zet(PyObject* obj, Py_ssize_t plaats, PyObject* value) {
        PyObject** slot = (PyObject**)((char*)obj + plaats);
        PyObject* oud = *slot;
        Py_INCREF(value);
        *slot = value;
        Py_XDECREF(oud);
    }
    """
    object zk_nieuw(object cls)
    Py_ssize_t zk_plaats(object descr)
    void zk_zet(object obj, Py_ssize_t plaats, object value)


cdef extern from *:
    """
    #include <string.h>
    #include <stdint.h>

    /* Short texts repeat in a message (codes such as 01, D, 45A48): one str per distinct text of at most
       8 bytes, kept in a small table (a newer text takes an occupied place), instead of one per element. */
    #define ZK_TEKSTEN 4096
    static struct { uint64_t sleutel; Py_ssize_t lengte; PyObject* tekst; } zk_teksten[ZK_TEKSTEN];

    static PyObject* zk_korte_tekst(const char* s, Py_ssize_t lengte) {
        uint64_t sleutel = 0;
        memcpy(&sleutel, s, (size_t)lengte);
        size_t plaats = (size_t)(((sleutel ^ (uint64_t)lengte) * 0x9E3779B97F4A7C15ULL) >> 52);
        if (zk_teksten[plaats].tekst != NULL && zk_teksten[plaats].sleutel == sleutel && zk_teksten[plaats].lengte == lengte) {
            Py_INCREF(zk_teksten[plaats].tekst);
            return zk_teksten[plaats].tekst;
        }
        PyObject* tekst = PyUnicode_DecodeUTF8(s, lengte, NULL);
        if (tekst == NULL) return NULL;
        Py_XDECREF(zk_teksten[plaats].tekst);
        Py_INCREF(tekst);
        zk_teksten[plaats].sleutel = sleutel;
        zk_teksten[plaats].lengte = lengte;
        zk_teksten[plaats].tekst = tekst;
        return tekst;
    }

    /* One date object per day of 1900-2199, made when first met (a date is immutable). */
    #define ZK_DAGEN (300 * 12 * 31)
    static PyObject* zk_dagen[ZK_DAGEN];

    static PyObject* zk_dag_uit_cache(int jaar, int maand, int dag) {
        if (jaar < 1900 || jaar >= 2200) return NULL;
        return zk_dagen[((jaar - 1900) * 12 + maand - 1) * 31 + dag - 1];  /* borrowed: the table keeps it */
    }

    static void zk_dag_bewaar(int jaar, int maand, int dag, PyObject* d) {
        if (jaar < 1900 || jaar >= 2200) return;
        Py_INCREF(d);
        zk_dagen[((jaar - 1900) * 12 + maand - 1) * 31 + dag - 1] = d;
    }
    """
    object zk_korte_tekst(const char* s, Py_ssize_t lengte)
    PyObject* zk_dag_uit_cache(int jaar, int maand, int dag)
    void zk_dag_bewaar(int jaar, int maand, int dag, object d)


cdef Py_ssize_t _plaats(cls, str attribuut) except -2:
    """Where `cls` keeps the slot `attribuut`, or -1 when it is not a plain slot (then set by name)."""
    descr = None
    for base in cls.__mro__:
        if attribuut in base.__dict__:
            descr = base.__dict__[attribuut]
            break
    return -1 if descr is None else zk_plaats(descr)


cdef enum:
    WAARDE = 0  # a plain value
    OBJECT = 1  # a class
    OBJECTEN = 2  # a wrapper element with classes as items
    WAARDEN = 3  # a wrapper element with plain values as items

cdef enum:
    TEKST = 0  # str: an empty element is ''
    GETAL = 1  # int
    DATUM = 2  # date, YYYY-MM-DD
    ANDERS = 3  # through the field's parse function (time.fromisoformat)

_SOORTEN = {"value": WAARDE, "object": OBJECT, "objects": OBJECTEN, "values": WAARDEN}

cdef bint _klaar = False
cdef object _Knoop  # berichten.domain.regels.regel.Knoop
cdef Py_ssize_t _K_OBJ, _K_OUDER, _K_SEGMENT, _K_POSITIE, _K_PAD, _K_VOLGNUMMER


cdef int _start() except -1:
    global _klaar, _Knoop, _K_OBJ, _K_OUDER, _K_SEGMENT, _K_POSITIE, _K_PAD, _K_VOLGNUMMER
    if not _klaar:
        import_lxml__etree()
        import_datetime()
        from berichten.domain.regels.regel import Knoop

        plaatsen = [_plaats(Knoop, naam) for naam in ("obj", "ouder", "_segment", "_positie", "_pad", "volgnummer")]
        if -1 in plaatsen:
            raise TypeError("Knoop is expected to keep obj, ouder, _segment, _positie, _pad and volgnummer in __slots__")
        _Knoop = Knoop
        _K_OBJ, _K_OUDER, _K_SEGMENT, _K_POSITIE, _K_PAD, _K_VOLGNUMMER = plaatsen
        _klaar = True
    return 0


cdef class Veld:
    """One field of a model class: its element, how to read it, and what it is when absent."""

    cdef bytes local  # the element's local name, UTF-8
    cdef int soort
    cdef int lezer
    cdef object parse  # the Python parse function of the value type
    cdef Klasse klasse  # the class of an OBJECT or of OBJECTEN's items
    cdef bint verplicht
    cdef str attribuut
    cdef Py_ssize_t plaats  # where the class keeps the attribute (a slot), or -1: set by name
    cdef str segment  # where it is in the rules' index: `Local`, or `Local/ItemLocal`
    cdef object standaard  # the value when absent, or
    cdef object standaard_fabriek  # the callable that makes it (a new list)

    def __init__(self, cls, str attribuut, str local, str kind, parse, Klasse klasse, str item_local,
                 bint verplicht, standaard, standaard_fabriek):
        """A field `attribuut` of `cls`; `kind` as in mapping._Field ("value", "object", "objects", "values");
        `parse` the value type's parse function (str, int and date.fromisoformat are read here in C)."""
        self.attribuut = attribuut
        self.plaats = _plaats(cls, attribuut)
        self.local = local.encode()
        soort = _SOORTEN[kind]
        self.soort = soort
        self.lezer = TEKST if parse is str else GETAL if parse is int else DATUM if parse == _date.fromisoformat else ANDERS
        self.parse = parse
        self.klasse = klasse
        self.verplicht = verplicht
        self.segment = f"{local}/{item_local}" if soort == OBJECTEN else local
        self.standaard = standaard
        self.standaard_fabriek = standaard_fabriek


cdef class Klasse:
    """The plan of one model class: its fields in XSD sequence order (set once with `zet_velden`)."""

    cdef object cls
    cdef tuple velden
    cdef str fout

    def __init__(self, cls):
        _start()
        self.cls = cls
        self.velden = ()
        self.fout = f"{cls.__name__}: elements missing or out of place (the message did not satisfy its XSD)"

    def zet_velden(self, velden):
        self.velden = tuple(velden)

    def decode(self, _Element element, index=None, str segment="/Bericht"):
        """The typed object for `element`. With an empty `index` (regel.Index.leeg), every class is added
        to it as `Index` itself would (its `knopen` in document order, a class before what it holds, and
        `per_type`): a Knoop with its segment, parent and place in its list, its `obj` set once made."""
        cdef _Knopen knopen = None
        if index is not None:
            knopen = _Knopen(index.knopen, index.per_type)
        return _object(element._c_node, self, knopen, None, segment, 0)


cdef class _Knopen:
    """The index being filled by one decode."""

    cdef list knopen
    cdef dict per_type

    def __cinit__(self, list knopen, dict per_type):
        self.knopen = knopen
        self.per_type = per_type

    cdef object knoop(self, cls, str segment, ouder, Py_ssize_t positie):
        """A class of type `cls` met while decoding, registered before what it holds (as `Index._visit` would)."""
        knoop = zk_nieuw(_Knoop)
        zk_zet(knoop, _K_OBJ, None)
        zk_zet(knoop, _K_OUDER, ouder)
        zk_zet(knoop, _K_SEGMENT, segment)
        zk_zet(knoop, _K_POSITIE, positie)
        zk_zet(knoop, _K_PAD, None)
        zk_zet(knoop, _K_VOLGNUMMER, len(self.knopen))
        self.knopen.append(knoop)
        lijst = self.per_type.get(cls)
        if lijst is None:
            self.per_type[cls] = [knoop]
        else:
            (<list>lijst).append(knoop)
        return knoop


cdef inline tree.xmlNode* _element(tree.xmlNode* c) noexcept:
    """`c` or the first element after it among its siblings (NULL if none)."""
    while c is not NULL and c.type != tree.XML_ELEMENT_NODE:
        c = c.next
    return c


cdef object _object(tree.xmlNode* c_node, Klasse klasse, _Knopen knopen, object ouder, str segment, Py_ssize_t positie):
    cdef Veld veld
    cdef tree.xmlNode* kind
    cdef object waarde
    obj = zk_nieuw(klasse.cls)
    knoop = None if knopen is None else knopen.knoop(klasse.cls, segment, ouder, positie)
    kind = _element(c_node.children)
    for veld in klasse.velden:
        if kind is not NULL and strcmp(<const char*>kind.name, veld.local) == 0:
            if veld.soort == WAARDE:
                waarde = _waarde(kind, veld)
            elif veld.soort == OBJECT:
                waarde = _object(kind, veld.klasse, knopen, knoop, veld.segment, 0)
            elif veld.soort == OBJECTEN:
                waarde = _objecten(kind, veld, knopen, knoop)
            else:
                waarde = _waarden(kind, veld)
            kind = _element(kind.next)
        elif veld.verplicht:
            raise TypeError(klasse.fout)
        elif veld.standaard_fabriek is not None:
            waarde = veld.standaard_fabriek()
        else:
            waarde = veld.standaard
        if veld.plaats >= 0:
            zk_zet(obj, veld.plaats, waarde)
        else:
            setattr(obj, veld.attribuut, waarde)
    if kind is not NULL:
        raise TypeError(klasse.fout)
    if knoop is not None:
        zk_zet(knoop, _K_OBJ, obj)
    return obj


cdef list _objecten(tree.xmlNode* wrapper, Veld veld, _Knopen knopen, object ouder):
    """The items of a list of classes; with an index, each numbered when the list holds more than one."""
    cdef list items = []
    cdef Py_ssize_t positie = 0
    cdef tree.xmlNode* c = _element(wrapper.children)
    if knopen is not None and c is not NULL and _element(c.next) is not NULL:
        positie = 1
    while c is not NULL:
        items.append(_object(c, veld.klasse, knopen, ouder, veld.segment, positie))
        if positie:
            positie += 1
        c = _element(c.next)
    return items


cdef list _waarden(tree.xmlNode* wrapper, Veld veld):
    cdef list items = []
    cdef tree.xmlNode* c = _element(wrapper.children)
    while c is not NULL:
        items.append(_waarde(c, veld))
        c = _element(c.next)
    return items


cdef object _tekst(tree.xmlNode* c_node):
    """The element's text as lxml's `.text` gives it: its leading text and CDATA nodes, or None."""
    cdef tree.xmlNode* c = c_node.children
    cdef bytearray samen
    cdef Py_ssize_t lengte
    if c is NULL or (c.type != tree.XML_TEXT_NODE and c.type != tree.XML_CDATA_SECTION_NODE):
        return None
    if c.next is NULL or (c.next.type != tree.XML_TEXT_NODE and c.next.type != tree.XML_CDATA_SECTION_NODE):
        lengte = strlen(<const char*>c.content)
        if lengte <= 8:
            return zk_korte_tekst(<const char*>c.content, lengte)
        return (<const char*>c.content)[:lengte].decode("utf-8")
    samen = bytearray()
    while c is not NULL and (c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE):
        samen += (<const char*>c.content)[:strlen(<const char*>c.content)]
        c = c.next
    return samen.decode("utf-8")


cdef inline int _cijfer(const char* s, int i) noexcept:
    cdef char ch = s[i]
    return ch - 48 if 48 <= ch <= 57 else -1000


cdef object _waarde(tree.xmlNode* c_node, Veld veld):
    cdef object tekst
    cdef const char* s
    cdef int jaar, maand, dag
    cdef tree.xmlNode* c
    cdef PyObject* bekend
    if veld.lezer == DATUM:
        c = c_node.children
        if c is not NULL and c.next is NULL and c.type == tree.XML_TEXT_NODE:
            s = <const char*>c.content
            if strlen(s) == 10 and s[4] == 45 and s[7] == 45:  # YYYY-MM-DD
                jaar = _cijfer(s, 0) * 1000 + _cijfer(s, 1) * 100 + _cijfer(s, 2) * 10 + _cijfer(s, 3)
                maand = _cijfer(s, 5) * 10 + _cijfer(s, 6)
                dag = _cijfer(s, 8) * 10 + _cijfer(s, 9)
                if jaar >= 1 and 1 <= maand <= 12 and 1 <= dag <= 31:
                    bekend = zk_dag_uit_cache(jaar, maand, dag)
                    if bekend is not NULL:
                        return <object>bekend
                    try:
                        nieuw = date_new(jaar, maand, dag)
                    except ValueError:
                        pass  # e.g. 30 February: the parse function says so in its own words
                    else:
                        zk_dag_bewaar(jaar, maand, dag, nieuw)
                        return nieuw
        return veld.parse(_tekst(c_node))
    tekst = _tekst(c_node)
    if veld.lezer == TEKST:
        return "" if tekst is None else tekst
    if veld.lezer == GETAL:
        return int(tekst)
    return veld.parse(tekst)


def maten(_Element element):
    """(depth, number of elements) of the tree under `element`, which is at depth 1: one walk over
    libxml2's nodes, without recursion (the safety limits of berichten.codec.xml)."""
    _start()
    cdef tree.xmlNode* top = element._c_node
    cdef tree.xmlNode* c = top
    cdef tree.xmlNode* volgende
    cdef Py_ssize_t diepte = 1, grootste = 1, aantal = 1
    while True:
        volgende = _element(c.children)
        if volgende is not NULL:
            diepte += 1
            if diepte > grootste:
                grootste = diepte
        else:
            while c is not top:
                volgende = _element(c.next)
                if volgende is not NULL:
                    break
                c = c.parent
                diepte -= 1
            if c is top:
                return grootste, aantal
        c = volgende
        aantal += 1
